using System.Collections.Immutable;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Catalog;

/// <summary>
/// One category. Attribute definitions, the VAT rate and the weight-basis options may sit on any node
/// and are inherited by its subtree: a category's effective schema is its ancestors' definitions plus
/// its own, and a key is unique along every root-to-leaf path. Listings attach to leaves only.
/// </summary>
[GenerateSerializer, Immutable, Alias("b2btrade.category-node")]
public sealed record CategoryNode
{
    /// <summary>Stable id such as "steel.rebar"; moving a category never changes it.</summary>
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? ParentId { get; init; }
    [Id(2)] public required string NameZh { get; init; }
    [Id(3)] public required string NameEn { get; init; }

    /// <summary>1 for a root (大类), 2 for 二级, 3 for 三级…</summary>
    [Id(4)] public required int Level { get; init; }
    [Id(5)] public ImmutableList<string> ChildIds { get; init; } = [];
    [Id(6)] public ImmutableList<AttributeDefinition> Attributes { get; init; } = [];

    /// <summary>VAT rate such as 0.13; null inherits the parent's. Roots always have one.</summary>
    [Id(7)] public decimal? VatRate { get; init; }

    /// <summary>Weight bases listings may use; empty inherits the parent's. Roots always have some.</summary>
    [Id(8)] public ImmutableSortedSet<WeightBasis> WeightBases { get; init; } = [];

    public bool IsLeaf => ChildIds.IsEmpty;
}

/// <summary>The category tree: operators edit it through <see cref="CategoryTreeRules"/>; everything here is a lookup.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.category-tree")]
public sealed record CategoryTree
{
    public const int MaxDepth = 5;

    public static readonly CategoryTree Empty = new();

    [Id(0)] public ImmutableDictionary<string, CategoryNode> Nodes { get; init; } = ImmutableDictionary<string, CategoryNode>.Empty;
    [Id(1)] public ImmutableList<string> RootIds { get; init; } = [];
    [Id(2)] public long Version { get; init; }

    public CategoryNode? Find(string? id) => id is not null ? Nodes.GetValueOrDefault(id) : null;

    public CategoryNode Get(string id) => Find(id) ?? throw Errors.NotFound("Category", "商品分类");

    public IEnumerable<CategoryNode> Roots => RootIds.Select(id => Nodes[id]);

    public IEnumerable<CategoryNode> Children(string id) => Get(id).ChildIds.Select(c => Nodes[c]);

    /// <summary>Root first, the category itself last: the breadcrumb 金属矿产 › 钢材 › 螺纹钢.</summary>
    public ImmutableList<CategoryNode> PathFromRoot(string id)
    {
        var path = new List<CategoryNode>();
        for (var node = Find(id) ?? throw Errors.NotFound("Category", "商品分类"); node is not null; node = Find(node.ParentId))
        {
            path.Add(node);
        }

        path.Reverse();
        return [.. path];
    }

    /// <summary>The category and every descendant, depth-first in display order: what a "category subtree" filter matches.</summary>
    public ImmutableList<string> SubtreeIds(string id)
    {
        var result = ImmutableList.CreateBuilder<string>();
        var stack = new Stack<string>();
        stack.Push(Get(id).Id);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            result.Add(current);
            var children = Nodes[current].ChildIds;
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }

        return result.ToImmutable();
    }

    public IEnumerable<CategoryNode> Leaves => RootIds.SelectMany(SubtreeIds).Select(id => Nodes[id]).Where(n => n.IsLeaf);

    /// <summary>Inherited plus own attribute definitions, ordered by sort order (ancestors' first on ties).</summary>
    public ImmutableList<AttributeDefinition> EffectiveSchema(string id) =>
        [.. PathFromRoot(id).SelectMany(n => n.Attributes).OrderBy(a => a.SortOrder)];

    public decimal EffectiveVatRate(string id) =>
        PathFromRoot(id).Select(n => n.VatRate).LastOrDefault(r => r is not null) ?? 0.13m;

    public ImmutableSortedSet<WeightBasis> EffectiveWeightBases(string id) =>
        PathFromRoot(id).Select(n => n.WeightBases).LastOrDefault(w => !w.IsEmpty) ?? [WeightBasis.Weighed];

    /// <summary>"金属矿产 > 钢材 > 螺纹钢".</summary>
    public string PathNameZh(string id) => string.Join(" > ", PathFromRoot(id).Select(n => n.NameZh));
}
