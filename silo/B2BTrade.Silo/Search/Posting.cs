using System.Numerics;
using System.Runtime.InteropServices;

namespace B2BTrade.Silo.Search;

/// <summary>Bitset helpers over ulong words (doc id d is bit d % 64 of word d / 64).</summary>
internal static class Bits
{
    public static void Set(Span<ulong> bits, int doc) => bits[doc >> 6] |= 1UL << doc;

    public static void Clear(Span<ulong> bits, int doc) => bits[doc >> 6] &= ~(1UL << doc);

    public static bool Get(ReadOnlySpan<ulong> bits, int doc) => (bits[doc >> 6] & (1UL << doc)) != 0;

    public static void And(Span<ulong> dst, ReadOnlySpan<ulong> src)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && dst.Length >= Vector<ulong>.Count)
        {
            var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
            var vs = MemoryMarshal.Cast<ulong, Vector<ulong>>(src[..dst.Length]);
            for (var v = 0; v < vd.Length; v++)
            {
                vd[v] &= vs[v];
            }

            i = vd.Length * Vector<ulong>.Count;
        }

        for (; i < dst.Length; i++)
        {
            dst[i] &= src[i];
        }
    }

    public static void Or(Span<ulong> dst, ReadOnlySpan<ulong> src)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && dst.Length >= Vector<ulong>.Count)
        {
            var vd = MemoryMarshal.Cast<ulong, Vector<ulong>>(dst);
            var vs = MemoryMarshal.Cast<ulong, Vector<ulong>>(src[..dst.Length]);
            for (var v = 0; v < vd.Length; v++)
            {
                vd[v] |= vs[v];
            }

            i = vd.Length * Vector<ulong>.Count;
        }

        for (; i < dst.Length; i++)
        {
            dst[i] |= src[i];
        }
    }

    public static int PopCount(ReadOnlySpan<ulong> bits)
    {
        var n = 0;
        foreach (var w in bits)
        {
            n += BitOperations.PopCount(w);
        }

        return n;
    }

    public static int AndCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var n = 0;
        b = b[..a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            n += BitOperations.PopCount(a[i] & b[i]);
        }

        return n;
    }
}

/// <summary>The docs holding one value: a dense bitmap when the value is common, else an unordered id list.</summary>
internal sealed class Posting
{
    /// <summary>A posting is dense when it holds at least capacity / DenseDivisor docs.</summary>
    public const int DenseDivisor = 256;

    public ulong[]? Dense;
    public List<int>? Sparse = [];
    public int Count;

    public void Add(int doc, int words)
    {
        Count++;
        if (Dense is not null)
        {
            Bits.Set(Dense, doc);
            return;
        }

        Sparse!.Add(doc);
        if (Count >= 64 && (long)Count * DenseDivisor >= (long)words * 64)
        {
            Dense = new ulong[words];
            foreach (var d in Sparse)
            {
                Bits.Set(Dense, d);
            }

            Sparse = null;
        }
    }

    public void Remove(int doc)
    {
        Count--;
        if (Dense is not null)
        {
            Bits.Clear(Dense, doc);
            return;
        }

        var i = Sparse!.IndexOf(doc);
        if (i >= 0)
        {
            Sparse[i] = Sparse[^1];
            Sparse.RemoveAt(Sparse.Count - 1);
        }
    }

    /// <summary>Capacity changed: resize the bitmap, or go back to a list when no longer common.</summary>
    public void Resize(int words)
    {
        if (Dense is null)
        {
            return;
        }

        if ((long)Count * DenseDivisor < (long)words * 64)
        {
            var list = new List<int>(Count);
            ForEach(Dense, list.Add);
            Sparse = list;
            Dense = null;
        }
        else
        {
            Array.Resize(ref Dense, words);
        }
    }

    public void OrInto(Span<ulong> dst)
    {
        if (Dense is not null)
        {
            Bits.Or(dst, Dense);
            return;
        }

        foreach (var d in Sparse!)
        {
            Bits.Set(dst, d);
        }
    }

    /// <summary>dst &amp;= this; scratch is clobbered.</summary>
    public void AndInto(Span<ulong> dst, Span<ulong> scratch)
    {
        if (Dense is not null)
        {
            Bits.And(dst, Dense);
            return;
        }

        scratch.Clear();
        foreach (var d in Sparse!)
        {
            if (Bits.Get(dst, d))
            {
                Bits.Set(scratch, d);
            }
        }

        scratch.CopyTo(dst);
    }

    public int CountIn(ReadOnlySpan<ulong> filter)
    {
        if (Dense is not null)
        {
            return Bits.AndCount(filter, Dense);
        }

        var n = 0;
        foreach (var d in Sparse!)
        {
            if (Bits.Get(filter, d))
            {
                n++;
            }
        }

        return n;
    }

    private static void ForEach(ulong[] bits, Action<int> action)
    {
        for (var w = 0; w < bits.Length; w++)
        {
            var word = bits[w];
            while (word != 0)
            {
                action((w << 6) + BitOperations.TrailingZeroCount(word));
                word &= word - 1;
            }
        }
    }
}
