using B2BTrade.Grains.Infrastructure;

namespace B2BTrade.Benchmarks;

/// <summary>The cheapest grain call: no state, no I/O.</summary>
public interface IBenchPingGrain : IGrainWithIntegerKey
{
    Task<int> PingAsync(int value);
}

/// <summary>A grain that persists its state on every call through the "b2btrade" storage provider.</summary>
public interface IBenchWriteGrain : IGrainWithStringKey
{
    Task<long> WriteAsync();
}

[GenerateSerializer, Alias("b2btrade.bench.write-state")]
public sealed class BenchWriteState
{
    [Id(0)] public long Count { get; set; }

    /// <summary>A fixed 100-character payload so a row is not trivially small (about 120 bytes serialized).</summary>
    [Id(1)] public string Payload { get; set; } = "";
}

[GrainType("bench-ping")]
public sealed class BenchPingGrain : Grain, IBenchPingGrain
{
    public Task<int> PingAsync(int value) => Task.FromResult(value);
}

[GrainType("bench-write")]
public sealed class BenchWriteGrain(
    [PersistentState("bench", StorageNames.Grains)] IPersistentState<BenchWriteState> state) : Grain, IBenchWriteGrain
{
    private static readonly string s_payload = new('x', 100);

    public async Task<long> WriteAsync()
    {
        state.State.Count++;
        state.State.Payload = s_payload;
        await state.WriteStateAsync();
        return state.State.Count;
    }
}
