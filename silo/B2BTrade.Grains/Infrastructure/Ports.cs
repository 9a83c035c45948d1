using B2BTrade.Domain.Identity;

namespace B2BTrade.Grains.Infrastructure;

/// <summary>Sends a text to a phone (SMS) or email. The default writes to a local outbox instead of a gateway.</summary>
public interface IMessageSender
{
    Task SendAsync(ContactAddress to, string body, CancellationToken cancellationToken = default);
}

/// <summary>Bytes of uploads and files: a local folder on a single node, a store all nodes share in a cluster.</summary>
public interface IFileStore
{
    /// <summary>Writes a chunk of an upload at an offset (idempotent for the same offset and bytes).</summary>
    Task WriteChunkAsync(string uploadId, long offset, byte[] data, CancellationToken cancellationToken = default);

    /// <summary>Reads an upload's received bytes back in order.</summary>
    Task<Stream> OpenUploadAsync(string uploadId, CancellationToken cancellationToken = default);

    /// <summary>Stores an upload's bytes as a file and drops the upload's chunks.</summary>
    Task PromoteAsync(string uploadId, string fileId, CancellationToken cancellationToken = default);

    /// <summary>Drops an upload's chunks.</summary>
    Task DiscardUploadAsync(string uploadId, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored file for reading.</summary>
    Task<Stream> OpenFileAsync(string fileId, CancellationToken cancellationToken = default);
}

/// <summary>Which categories hold listings (answered from the read model), so operator edits never orphan listings.</summary>
public interface ICategoryUsage
{
    Task<IReadOnlySet<string>> CategoriesWithListingsAsync(CancellationToken cancellationToken = default);
}

/// <summary>The stock a listing holds per order awaiting an answer (order id → tonnes), as its grain stored it beside its state.</summary>
public interface IListingHolds
{
    Task<IReadOnlyDictionary<string, Domain.Catalog.Tonnes>> LoadAsync(string listingId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Live push between the grains that change things and the API nodes holding streams: in-process on a single node,
/// Redis pub/sub in a cluster. At most once: a subscriber that may have missed events catches up from storage.
/// </summary>
public interface ILivePush
{
    /// <summary>Publishes a payload on a topic (e.g. "thread:thr_…", "user:usr_…"); never throws.</summary>
    Task PublishAsync(string topic, string payload);

    /// <summary>Calls <paramref name="handler"/> for every payload on the topic until disposed. Handlers must not block.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}

/// <summary>
/// Renders a composed contract. The PDF is the canonical document: its bytes are stored once, hashed and signed,
/// so rendering need not be repeatable; the HTML is a reading copy of the same content (never signed).
/// </summary>
public interface IContractRenderer
{
    byte[] RenderPdf(Domain.Contracts.ContractContent content);

    string RenderHtml(Domain.Contracts.ContractContent content);
}
