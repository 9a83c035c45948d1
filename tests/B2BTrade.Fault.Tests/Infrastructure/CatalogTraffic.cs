using System.Collections.Concurrent;
using System.Globalization;
using B2BTrade.Protos.Catalog.V1;
using Grpc.Core;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>The parts of a listing these tests change and search shows.</summary>
internal sealed record ListingShape(bool Active, decimal Price, decimal Stock, string Grade, string Origin)
{
    public static ListingShape Of(Listing listing) => new(
        listing.Status == ListingStatus.Active,
        decimal.Parse(listing.DisplayPrice.Amount, CultureInfo.InvariantCulture),
        decimal.Parse(listing.Spec.StockTonnes.Value, CultureInfo.InvariantCulture),
        listing.Spec.Attributes.TryGetValue("grade", out var grade) ? grade : "",
        listing.Spec.Origin);

    public override string ToString() =>
        $"{(Active ? "active" : "delisted")} {Price.ToString("0.00", CultureInfo.InvariantCulture)} CNY/t, {Stock.ToString("0.000", CultureInfo.InvariantCulture)} t, {Grade}, {Origin}";
}

internal enum ListingChange
{
    Stock,
    Update,
    Delist,
    Relist,
}

/// <summary>
/// One listing's script: a create, then changes applied one after another, each with the shape it leads to.
/// Prices and stock only grow along the script, grade and origin rotate (so facet counts move), some
/// listings end delisted and some are delisted and put back. Progress is recorded as the client saw it.
/// </summary>
internal sealed class ListingScript
{
    public static readonly string[] Grades = ["HRB400E", "HRB500E", "HRB400", "HRB335"];
    public static readonly string[] Origins = ["江苏张家港", "河北唐山", "辽宁鞍山"];

    public ListingScript(int index)
    {
        Index = index;
        Initial = new ListingShape(true, 3600 + index, 500 + index, Grades[index % Grades.Length], Origins[index % Origins.Length]);
        var steps = new List<(ListingChange, ListingShape)>();
        var shape = Initial;
        void Add(ListingChange change, ListingShape next)
        {
            steps.Add((change, next));
            shape = next;
        }

        for (var step = 1; step <= 4; step++)
        {
            if (step % 2 == 1)
            {
                Add(ListingChange.Stock, shape with { Stock = shape.Stock + 10.125m * step });
            }
            else
            {
                Add(ListingChange.Update, shape with
                {
                    Price = shape.Price + (10 * step),
                    Grade = Grades[(index + step) % Grades.Length],
                    Origin = Origins[(index + step) % Origins.Length],
                });
            }
        }

        switch (index % 4)
        {
            case 0:
                Add(ListingChange.Delist, shape with { Active = false });
                break;
            case 1:
                Add(ListingChange.Delist, shape with { Active = false });
                Add(ListingChange.Relist, shape with { Active = true });
                Add(ListingChange.Stock, shape with { Stock = shape.Stock + 1.5m });
                break;
            default:
                Add(ListingChange.Stock, shape with { Stock = shape.Stock + 7.25m });
                Add(ListingChange.Update, shape with { Price = shape.Price + 25, Grade = Grades[(index + 3) % Grades.Length] });
                break;
        }

        Steps = steps;
    }

    public int Index { get; }

    /// <summary>Create's request id; retrying it returns the listing the first attempt created.</summary>
    public string CreateRequestId { get; } = Guid.NewGuid().ToString();

    public ListingShape Initial { get; }

    public IReadOnlyList<(ListingChange Change, ListingShape After)> Steps { get; }

    public string? ListingId { get; set; }

    /// <summary>The etag of the last acknowledged answer.</summary>
    public string Etag { get; set; } = "";

    /// <summary>-1: the create was not acknowledged; 0: created; n: the create and the first n changes were acknowledged.</summary>
    public int Acknowledged { get; set; } = -1;

    /// <summary>The step whose call failed (its outcome unknown to the client), if any.</summary>
    public int? Failed { get; set; }

    /// <summary>The shape after <paramref name="done"/> changes (0 = as created).</summary>
    public ListingShape ShapeAfter(int done) => done <= 0 ? Initial : Steps[done - 1].After;

    public ListingShape Final => ShapeAfter(Steps.Count);

    public ListingSpec Spec(ListingShape shape) =>
        Sellers.RebarSpec($"沙钢 {shape.Grade} 螺纹钢 Φ25 12m 第{Index:00}号", shape.Grade, shape.Origin, shape.Price, shape.Stock);

    /// <summary>Shapes the server may hold now: the last acknowledged one, or the next one if its call failed.</summary>
    public IReadOnlyList<ListingShape> Allowed()
    {
        var shapes = new List<ListingShape> { ShapeAfter(Math.Max(Acknowledged, 0)) };
        if (Failed is { } failed && failed > 0)
        {
            shapes.Add(ShapeAfter(failed));
        }

        return shapes;
    }
}

/// <summary>
/// Runs listing scripts against CatalogService, a few listings at a time and each listing's changes in order.
/// With a retry budget every call is retried on transient statuses (changes are written so that a repeat is
/// harmless: stock and fields are absolute, UpdateListing goes without an etag); without one each call is tried
/// once and a listing's script stops at its first failure, so what the client saw acknowledged is exact.
/// </summary>
internal sealed class CatalogTraffic(CatalogService.CatalogServiceClient catalog, Seller seller, TimeSpan? retryBudget)
{
    private int _acknowledged;

    /// <summary>Called after each acknowledged call with the running count.</summary>
    public Action<int>? OnAcknowledged { get; init; }

    /// <summary>Failures as "listing n step s: status detail", in the order they happened.</summary>
    public ConcurrentQueue<(DateTime At, string What)> Failures { get; } = new();

    public int AcknowledgedCalls => Volatile.Read(ref _acknowledged);

    public async Task RunAsync(IEnumerable<ListingScript> scripts, int concurrency, bool createOnly = false)
    {
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(scripts.Select(async script =>
        {
            await gate.WaitAsync();
            try
            {
                await RunOneAsync(script, createOnly);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>CreateListing again with the script's request id: the listing the first attempt made, or a new one.</summary>
    public async Task<Listing> CreateAsync(ListingScript script)
    {
        var request = new CreateListingRequest { RequestId = script.CreateRequestId, SellerEnterpriseId = seller.EnterpriseId, Spec = script.Spec(script.Initial) };
        var listing = (await CallAsync(d => catalog.CreateListingAsync(request, seller.Auth, d).ResponseAsync)).Listing;
        script.ListingId = listing.ListingId;
        return listing;
    }

    private async Task RunOneAsync(ListingScript script, bool createOnly)
    {
        var step = script.Acknowledged + 1;
        try
        {
            if (script.Acknowledged < 0)
            {
                script.Etag = (await CreateAsync(script)).Etag;
                script.Acknowledged = 0;
                Acknowledge();
                step = 1;
            }

            if (createOnly)
            {
                return;
            }

            for (; step <= script.Steps.Count; step++)
            {
                script.Etag = (await ApplyAsync(script, script.Steps[step - 1])).Etag;
                script.Acknowledged = step;
                Acknowledge();
            }
        }
        catch (RpcException e)
        {
            script.Failed = step;
            Failures.Enqueue((DateTime.UtcNow, $"listing {script.Index} step {step}: {e.StatusCode} {e.Status.Detail}"));
        }
    }

    private async Task<Listing> ApplyAsync(ListingScript script, (ListingChange Change, ListingShape After) step)
    {
        var id = script.ListingId!;
        var auth = seller.Auth;
        switch (step.Change)
        {
            case ListingChange.Stock:
                var stock = new UpdateListingStockRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    ListingId = id,
                    StockTonnes = new Protos.Common.V1.Decimal { Value = step.After.Stock.ToString("0.000", CultureInfo.InvariantCulture) },
                };
                return (await CallAsync(d => catalog.UpdateListingStockAsync(stock, auth, d).ResponseAsync)).Listing;
            case ListingChange.Update:
                // Without retries the etag guards the change like an editing client would; with retries a repeat of
                // an update that did apply would meet a stale etag, so the absolute replace goes without one.
                var update = new UpdateListingRequest { ListingId = id, Spec = script.Spec(step.After), Etag = retryBudget is null ? script.Etag : "" };
                return (await CallAsync(d => catalog.UpdateListingAsync(update, auth, d).ResponseAsync)).Listing;
            case ListingChange.Delist:
                return (await CallAsync(d => catalog.DelistListingAsync(new DelistListingRequest { ListingId = id }, auth, d).ResponseAsync)).Listing;
            default:
                return (await CallAsync(d => catalog.RelistListingAsync(new RelistListingRequest { ListingId = id }, auth, d).ResponseAsync)).Listing;
        }
    }

    private Task<T> CallAsync<T>(Func<DateTime, Task<T>> call) =>
        retryBudget is { } budget
            ? Transient.RetryAsync(call, budget)
            : call(DateTime.UtcNow + Transient.AttemptTimeout);

    private void Acknowledge() => OnAcknowledged?.Invoke(Interlocked.Increment(ref _acknowledged));
}
