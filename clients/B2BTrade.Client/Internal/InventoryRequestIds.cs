using System.Security.Cryptography;
using System.Text;
using B2BTrade.Protos.Catalog.V1;
using Google.Protobuf;

namespace B2BTrade.Client;

/// <summary>
/// Request ids derived from an ERP's SKU, as UUIDs (version 8, from SHA-256), so a re-run of an inventory sync sends
/// the ids of the first run without the ERP storing them.
/// </summary>
internal static class InventoryRequestIds
{
    /// <summary>
    /// The id creating the SKU's listing: the same for every run and every content, so the platform never holds two
    /// listings for one SKU (the server derives the listing id from the caller, the seller and this id).
    /// </summary>
    public static string Create(string sellerEnterpriseId, string sku) =>
        Uuid("b2btrade.inventory.create.v1", sellerEnterpriseId, sku);

    /// <summary>
    /// The id applying one revision of the SKU to its listing. The content hash is part of it so a revision reused with
    /// other content is still applied; the revision is part of it so content that returns to an earlier value (stock
    /// 100 → 80 → 100) is applied again rather than taken for a repeat.
    /// </summary>
    public static string Update(string sellerEnterpriseId, string sku, string listingId, string revision, ListingSpec spec) =>
        Uuid("b2btrade.inventory.update.v1", sellerEnterpriseId, sku, listingId, revision, ContentHash(spec));

    /// <summary>SHA-256 of the spec with its attributes in key order (map order would otherwise leak into the bytes).</summary>
    internal static string ContentHash(ListingSpec spec)
    {
        var canonical = spec.Clone();
        var attributes = canonical.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        canonical.Attributes.Clear();
        foreach (var (key, value) in attributes)
        {
            canonical.Attributes.Add(key, value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(canonical.ToByteArray()));
    }

    private static string Uuid(params string[] parts)
    {
        // Length-prefixed parts, so ("ab", "c") and ("a", "bc") never collide.
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        Span<byte> bytes = stackalloc byte[16];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (RFC 9562, custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
