using B2BTrade.Protos.Catalog.V1;

namespace B2BTrade.Client;

/// <summary>
/// The category tree (商品类目) as returned by <see cref="CatalogClient.ListCategoriesAsync"/>, indexed for menus and
/// for finding the leaf category a listing needs. Each category carries its effective attribute schema.
/// </summary>
public sealed class CatalogCategoryTree
{
    private readonly Dictionary<string, Category> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Category>> _children = new(StringComparer.Ordinal);

    /// <summary>Indexes categories listed parents before children (the order the server answers in).</summary>
    /// <param name="categories">Every category of the tree.</param>
    public CatalogCategoryTree(IEnumerable<Category> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        All = [.. categories];
        var roots = new List<Category>();
        foreach (var category in All)
        {
            _byId[category.CategoryId] = category;
            if (string.IsNullOrEmpty(category.ParentId))
            {
                roots.Add(category);
            }
            else if (_children.TryGetValue(category.ParentId, out var siblings))
            {
                siblings.Add(category);
            }
            else
            {
                _children[category.ParentId] = [category];
            }
        }

        Roots = [.. roots.OrderBy(c => c.SortOrder)];
        foreach (var siblings in _children.Values)
        {
            siblings.Sort((a, b) => a.SortOrder.CompareTo(b.SortOrder));
        }
    }

    /// <summary>Every category, parents before children.</summary>
    public IReadOnlyList<Category> All { get; }

    /// <summary>The top-level categories in display order.</summary>
    public IReadOnlyList<Category> Roots { get; }

    /// <summary>The category with this id, or null.</summary>
    /// <param name="categoryId">E.g. <c>steel.rebar</c>.</param>
    /// <returns>The category or null.</returns>
    public Category? Find(string categoryId) => _byId.GetValueOrDefault(categoryId);

    /// <summary>The direct children of a category in display order; empty for a leaf or an unknown id.</summary>
    /// <param name="categoryId">The parent.</param>
    /// <returns>The children.</returns>
    public IReadOnlyList<Category> ChildrenOf(string categoryId) => _children.TryGetValue(categoryId, out var children) ? children : [];

    /// <summary>True when the category exists and has no children (listings need a leaf category).</summary>
    /// <param name="categoryId">The category.</param>
    /// <returns>Whether it is a leaf.</returns>
    public bool IsLeaf(string categoryId) => _byId.ContainsKey(categoryId) && !_children.ContainsKey(categoryId);

    /// <summary>The categories from the root down to this one (for breadcrumbs); empty for an unknown id.</summary>
    /// <param name="categoryId">The category.</param>
    /// <returns>Root first, the category itself last.</returns>
    public IReadOnlyList<Category> PathTo(string categoryId)
    {
        var path = new List<Category>();
        for (var current = Find(categoryId); current is not null && path.Count <= _byId.Count; current = string.IsNullOrEmpty(current.ParentId) ? null : Find(current.ParentId))
        {
            path.Add(current);
        }

        path.Reverse();
        return path;
    }
}
