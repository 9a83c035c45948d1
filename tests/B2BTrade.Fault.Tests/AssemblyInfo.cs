// Each fault test starts real server processes; running them side by side on a 2-core box would
// measure CPU starvation instead of recovery.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
