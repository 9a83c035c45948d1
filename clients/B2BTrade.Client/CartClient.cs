using B2BTrade.Protos.Order.V1;

namespace B2BTrade.Client;

/// <summary>
/// The signed-in user's shopping cart (one per user): listing lines priced live by the listings' tiers. Every call
/// answers with the whole cart, newest line first. Setting a quantity and removing lines set a state, so they are safe
/// to repeat and are retried after UNAVAILABLE or DEADLINE_EXCEEDED. Order a seller's lines with
/// <see cref="OrderSources.FromCart"/>.
/// </summary>
public sealed class CartClient
{
    private readonly CartService.CartServiceClient _client;
    private readonly CallPipeline _pipeline;

    internal CartClient(CartService.CartServiceClient client, CallPipeline pipeline)
    {
        _client = client;
        _pipeline = pipeline;
    }

    /// <summary>Returns the cart with current prices; <see cref="CartItem.Problem"/> says why a line cannot be ordered now.</summary>
    /// <param name="deadline">Optional absolute deadline (UTC).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lines, newest first (at most 100).</returns>
    public async Task<IReadOnlyList<CartItem>> GetAsync(DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new GetCartRequest();
        var response = await _pipeline.RunAsync(o => _client.GetCartAsync(request, o).ResponseAsync, CallPolicy.Read, deadline, cancellationToken);
        return response.Items;
    }

    /// <summary>Adds a listing to the cart, or sets the quantity of its line (the quantity given, not added to).</summary>
    /// <param name="listingId">The listing.</param>
    /// <param name="quantityTonnes">Tonnes, greater than zero, at most 3 decimal places.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cart after the change.</returns>
    /// <exception cref="ArgumentException"><paramref name="quantityTonnes"/> has more than 3 decimal places.</exception>
    /// <exception cref="B2BTradeValidationException">E.g. a quantity of zero (<c>quantity_tonnes</c>).</exception>
    public async Task<IReadOnlyList<CartItem>> SetItemAsync(string listingId, decimal quantityTonnes, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        var request = new SetCartItemRequest { ListingId = listingId, QuantityTonnes = CatalogValues.Tonnes(quantityTonnes) };
        var response = await _pipeline.RunAsync(o => _client.SetCartItemAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Items;
    }

    /// <summary>Removes listings from the cart (e.g. after ordering them); listings not in the cart are ignored.</summary>
    /// <param name="listingIds">The listings; empty clears the whole cart.</param>
    /// <param name="deadline">Optional absolute deadline (UTC) for all attempts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cart after the change.</returns>
    public async Task<IReadOnlyList<CartItem>> RemoveItemsAsync(IEnumerable<string> listingIds, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listingIds);
        var request = new RemoveCartItemsRequest { ListingIds = { listingIds } };
        var response = await _pipeline.RunAsync(o => _client.RemoveCartItemsAsync(request, o).ResponseAsync, CallPolicy.IdempotentWrite, deadline, cancellationToken);
        return response.Items;
    }
}
