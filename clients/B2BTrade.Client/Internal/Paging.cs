using System.Runtime.CompilerServices;

namespace B2BTrade.Client;

/// <summary>Turns page-token lists (AIP-158) into async streams of items.</summary>
internal static class Paging
{
    public static async IAsyncEnumerable<TItem> ReadAllAsync<TPage, TItem>(
        Func<string, CancellationToken, Task<TPage>> fetchPage,
        Func<TPage, IEnumerable<TItem>> items,
        Func<TPage, string> nextPageToken,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pageToken = string.Empty;
        do
        {
            var page = await fetchPage(pageToken, cancellationToken);
            foreach (var item in items(page))
            {
                yield return item;
            }

            pageToken = nextPageToken(page);
        }
        while (!string.IsNullOrEmpty(pageToken));
    }
}
