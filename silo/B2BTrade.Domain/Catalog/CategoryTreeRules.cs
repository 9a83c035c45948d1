using System.Collections.Immutable;
using System.Text.RegularExpressions;
using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Catalog;

/// <summary>What an operator gives to add a category.</summary>
[GenerateSerializer, Immutable, Alias("b2btrade.new-category")]
public sealed record NewCategory
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? ParentId { get; init; }
    [Id(2)] public required string NameZh { get; init; }
    [Id(3)] public required string NameEn { get; init; }
    [Id(4)] public decimal? VatRate { get; init; }
    [Id(5)] public IReadOnlyCollection<WeightBasis> WeightBases { get; init; } = [];
    [Id(6)] public IReadOnlyList<AttributeDefinition> Attributes { get; init; } = [];
}

/// <summary>
/// Operator edits of the category tree. Each returns the next tree or throws, and the result is always a
/// valid tree: unique ids, no cycles, depth ≤ <see cref="CategoryTree.MaxDepth"/>, attribute keys unique along
/// every path, and no category that holds listings gains children or disappears.
/// Schema edits do not rewrite listings: a listing is revalidated against the current schema on its next edit.
/// </summary>
public static partial class CategoryTreeRules
{
    /// <summary>PRC VAT rates: 13% goods, 9% agricultural products and some others, 6% services, 0% exempt.</summary>
    public static readonly ImmutableSortedSet<decimal> AllowedVatRates = [0m, 0.06m, 0.09m, 0.13m];

    public static CategoryTree AddCategory(CategoryTree tree, NewCategory category, Func<string, bool>? hasListings = null)
    {
        var v = new Validation();
        if (category.Id is not { Length: <= 64 } || !CategoryIdPattern().IsMatch(category.Id))
        {
            v.Add("id", "INVALID_CATEGORY_ID", "A category id is lowercase letters, digits and '_' in dot-separated parts, e.g. steel.rebar (at most 64 characters).", "分类编号须为小写字母、数字和下划线，以点分隔，如 steel.rebar（最多 64 个字符）。");
        }

        ValidateNames(v, category.NameZh, category.NameEn);
        ValidateVat(v, category.VatRate);
        var parent = category.ParentId is null ? null : tree.Find(category.ParentId);
        if (category.ParentId is not null && parent is null)
        {
            v.Add("parent_id", "PARENT_NOT_FOUND", "The parent category does not exist.", "上级分类不存在。");
        }

        if (parent is null && (category.VatRate is null || category.WeightBases.Count == 0))
        {
            v.Add("vat_rate", "ROOT_NEEDS_DEFAULTS", "A top-level category needs a VAT rate and at least one weight basis.", "一级分类须设置增值税税率和计量方式。");
        }

        if (parent is not null && parent.Level >= CategoryTree.MaxDepth)
        {
            v.Add("parent_id", "TOO_DEEP", $"Categories nest at most {CategoryTree.MaxDepth} levels.", $"分类最多 {CategoryTree.MaxDepth} 级。");
        }

        var inherited = parent is null ? [] : tree.EffectiveSchema(parent.Id).Select(a => a.Key).ToHashSet();
        ValidateDefinitions(v, category.Attributes, inherited);
        v.ThrowIfInvalid();

        if (tree.Nodes.ContainsKey(category.Id!))
        {
            throw new DomainException(ErrorKind.AlreadyExists, "CATEGORY_EXISTS", $"A category with id {category.Id} already exists.", $"分类编号 {category.Id} 已存在。");
        }

        if (parent is not null && parent.IsLeaf && (hasListings?.Invoke(parent.Id) ?? false))
        {
            throw HasListings(parent.Id);
        }

        var node = new CategoryNode
        {
            Id = category.Id!,
            ParentId = parent?.Id,
            NameZh = category.NameZh.Trim(),
            NameEn = category.NameEn.Trim(),
            Level = (parent?.Level ?? 0) + 1,
            Attributes = [.. category.Attributes.Select(CatalogRules.NormaliseDefinition)],
            VatRate = category.VatRate,
            WeightBases = [.. category.WeightBases],
        };
        var nodes = tree.Nodes.Add(node.Id, node);
        if (parent is not null)
        {
            nodes = nodes.SetItem(parent.Id, parent with { ChildIds = parent.ChildIds.Add(node.Id) });
        }

        return Next(tree with { Nodes = nodes, RootIds = parent is null ? tree.RootIds.Add(node.Id) : tree.RootIds });
    }

    /// <summary>
    /// Adds the category, or brings an existing one to what is given: names, parent (a move), VAT rate, weight
    /// bases and its own attributes in the given order (others removed). Attributes identical to inherited ones are
    /// ignored, so a category read from the tree can be sent back as it is.
    /// </summary>
    public static CategoryTree Upsert(CategoryTree tree, NewCategory category, Func<string, bool>? hasListings = null)
    {
        var parentPath = category.ParentId is { } parentId && tree.Find(parentId) is not null ? tree.EffectiveSchema(parentId) : [];
        var positions = category.Attributes
            .Select((a, i) => (Definition: a, Index: i))
            .Where(a => a.Definition?.Key is null || !parentPath.Any(inherited => SameDefinition(inherited, CatalogRules.NormaliseDefinition(a.Definition))))
            .ToList();
        try
        {
            return UpsertOwn(tree, category, [.. positions.Select(p => p.Definition)], parentPath, hasListings);
        }
        catch (DomainException e) when (e.Violations.Length > 0)
        {
            // Errors name attributes by their place in the request, not among the category's own ones.
            string Field(string field)
            {
                var match = AttributeIndex().Match(field);
                return match.Success && int.TryParse(match.Groups[1].Value, out var k) && k < positions.Count
                    ? $"attributes[{positions[k].Index}]" + field[match.Length..]
                    : field;
            }

            throw new DomainException(e.Kind, e.Reason, e.Message, e.MessageZh, [.. e.Violations.Select(v => v with { Field = Field(v.Field) })], e.Metadata);
        }
    }

    private static CategoryTree UpsertOwn(
        CategoryTree tree, NewCategory category, List<AttributeDefinition> own, IReadOnlyList<AttributeDefinition> parentPath, Func<string, bool>? hasListings)
    {
        // Display order: an attribute the category already has keeps its place; new ones follow everything else.
        var existingOrder = tree.Find(category.Id)?.Attributes.ToDictionary(a => a.Key, a => a.SortOrder) ?? [];
        var after = parentPath.Concat(tree.Find(category.Id)?.Attributes ?? []).Select(a => a.SortOrder).DefaultIfEmpty(0).Max();
        own = [.. own.Select(a => a with { SortOrder = existingOrder.TryGetValue(a.Key?.Trim() ?? "", out var kept) ? kept : ++after })];
        category = category with { Attributes = own };
        if (tree.Find(category.Id) is not { } existing)
        {
            return AddCategory(tree, category, hasListings);
        }

        var v = new Validation();
        ValidateNames(v, category.NameZh, category.NameEn);
        ValidateVat(v, category.VatRate);
        ValidateDefinitions(v, own, []);
        v.ThrowIfInvalid();

        var next = Move(tree, existing.Id, category.ParentId, hasListings);
        next = Rename(next, existing.Id, category.NameZh, category.NameEn);
        next = SetVatRate(next, existing.Id, category.VatRate);
        next = SetWeightBases(next, existing.Id, category.WeightBases);
        foreach (var stale in next.Get(existing.Id).Attributes.Where(a => own.All(o => o.Key != a.Key)).ToList())
        {
            next = RemoveAttribute(next, existing.Id, stale.Key);
        }

        foreach (var definition in own)
        {
            next = SetAttribute(next, existing.Id, definition);
        }

        var node = next.Get(existing.Id);
        var ordered = own.Select(o => node.Attributes.First(a => a.Key == o.Key.Trim())).ToImmutableList();
        return next with { Nodes = next.Nodes.SetItem(node.Id, node with { Attributes = ordered }) };
    }

    private static bool SameDefinition(AttributeDefinition a, AttributeDefinition b) =>
        a with { Options = [], SortOrder = 0 } == b with { Options = [], SortOrder = 0 } && a.Options.SequenceEqual(b.Options);

    public static CategoryTree SetWeightBases(CategoryTree tree, string id, IReadOnlyCollection<WeightBasis> weightBases)
    {
        var node = tree.Get(id);
        if (node.ParentId is null && weightBases.Count == 0)
        {
            throw Errors.InvalidField("weight_bases", "ROOT_NEEDS_DEFAULTS", "A top-level category needs at least one weight basis.", "一级分类须设置计量方式。");
        }

        if (weightBases.Any(w => !Enum.IsDefined(w)))
        {
            throw Errors.InvalidField("weight_bases", "INVALID_WEIGHT_BASIS", "A weight basis is 理计 (theoretical) or 过磅 (weighed).", "计量方式须为理计或过磅。");
        }

        return node.WeightBases.SetEquals(weightBases) ? tree : Next(tree with { Nodes = tree.Nodes.SetItem(id, node with { WeightBases = [.. weightBases] }) });
    }

    public static CategoryTree Rename(CategoryTree tree, string id, string nameZh, string nameEn)
    {
        var node = tree.Get(id);
        var v = new Validation();
        ValidateNames(v, nameZh, nameEn);
        v.ThrowIfInvalid();
        return Next(tree with { Nodes = tree.Nodes.SetItem(id, node with { NameZh = nameZh.Trim(), NameEn = nameEn.Trim() }) });
    }

    public static CategoryTree SetVatRate(CategoryTree tree, string id, decimal? vatRate)
    {
        var node = tree.Get(id);
        var v = new Validation();
        ValidateVat(v, vatRate);
        if (node.ParentId is null && vatRate is null)
        {
            v.Add("vat_rate", "ROOT_NEEDS_DEFAULTS", "A top-level category needs a VAT rate.", "一级分类须设置增值税税率。");
        }

        v.ThrowIfInvalid();
        return Next(tree with { Nodes = tree.Nodes.SetItem(id, node with { VatRate = vatRate }) });
    }

    /// <summary>Moves a category (with its subtree) under another parent, or to the top level when <paramref name="newParentId"/> is null.</summary>
    public static CategoryTree Move(CategoryTree tree, string id, string? newParentId, Func<string, bool>? hasListings = null)
    {
        var node = tree.Get(id);
        var subtree = tree.SubtreeIds(id);
        var newParent = newParentId is null ? null : tree.Find(newParentId) ?? throw Errors.NotFound("Parent category", "上级分类");
        if (newParent is not null && subtree.Contains(newParent.Id))
        {
            throw Errors.InvalidField("parent_id", "CATEGORY_CYCLE", "A category cannot move under itself or one of its descendants.", "分类不能移动到自身或其下级分类之下。");
        }

        if (node.ParentId == newParent?.Id)
        {
            return tree;
        }

        var height = subtree.Max(s => tree.Nodes[s].Level) - node.Level + 1;
        if ((newParent?.Level ?? 0) + height > CategoryTree.MaxDepth)
        {
            throw Errors.InvalidField("parent_id", "TOO_DEEP", $"Categories nest at most {CategoryTree.MaxDepth} levels.", $"分类最多 {CategoryTree.MaxDepth} 级。");
        }

        if (newParent is null && (node.VatRate is null || node.WeightBases.IsEmpty))
        {
            throw Errors.Precondition("ROOT_NEEDS_DEFAULTS", "Set a VAT rate and weight bases on the category before making it top-level.", "设为一级分类前，请先设置增值税税率和计量方式。");
        }

        var above = newParent is null ? [] : tree.EffectiveSchema(newParent.Id).Select(a => a.Key).ToHashSet();
        var clash = subtree.SelectMany(s => tree.Nodes[s].Attributes).FirstOrDefault(a => above.Contains(a.Key));
        if (clash is not null)
        {
            throw Errors.Precondition("ATTRIBUTE_KEY_CONFLICT", $"The attribute {clash.Key} is defined both in the moved categories and above the new parent.", $"属性 {clash.Key} 在被移动的分类和新上级分类中重复定义。");
        }

        if (newParent is not null && newParent.IsLeaf && (hasListings?.Invoke(newParent.Id) ?? false))
        {
            throw HasListings(newParent.Id);
        }

        var nodes = tree.Nodes;
        var roots = tree.RootIds;
        if (node.ParentId is { } oldParentId)
        {
            nodes = nodes.SetItem(oldParentId, nodes[oldParentId] with { ChildIds = nodes[oldParentId].ChildIds.Remove(id) });
        }
        else
        {
            roots = roots.Remove(id);
        }

        if (newParent is not null)
        {
            nodes = nodes.SetItem(newParent.Id, nodes[newParent.Id] with { ChildIds = nodes[newParent.Id].ChildIds.Add(id) });
        }
        else
        {
            roots = roots.Add(id);
        }

        var shift = (newParent?.Level ?? 0) + 1 - node.Level;
        foreach (var s in subtree)
        {
            nodes = nodes.SetItem(s, nodes[s] with { Level = nodes[s].Level + shift });
        }

        nodes = nodes.SetItem(id, nodes[id] with { ParentId = newParent?.Id });
        return Next(tree with { Nodes = nodes, RootIds = roots });
    }

    /// <summary>Removes an empty category: one without children and without listings.</summary>
    public static CategoryTree Remove(CategoryTree tree, string id, Func<string, bool> hasListings)
    {
        var node = tree.Get(id);
        if (!node.IsLeaf)
        {
            throw Errors.Precondition("CATEGORY_HAS_CHILDREN", "Remove or move the sub-categories first.", "请先删除或移走下级分类。");
        }

        if (hasListings(id))
        {
            throw HasListings(id);
        }

        var nodes = tree.Nodes.Remove(id);
        if (node.ParentId is { } parentId)
        {
            nodes = nodes.SetItem(parentId, nodes[parentId] with { ChildIds = nodes[parentId].ChildIds.Remove(id) });
        }

        return Next(tree with { Nodes = nodes, RootIds = tree.RootIds.Remove(id) });
    }

    /// <summary>Adds an attribute definition to a category, or replaces the one with the same key.</summary>
    public static CategoryTree SetAttribute(CategoryTree tree, string categoryId, AttributeDefinition definition)
    {
        var node = tree.Get(categoryId);
        var v = new Validation();
        CatalogRules.ValidateDefinition(v, definition, "attribute");
        v.ThrowIfInvalid();
        var normalised = CatalogRules.NormaliseDefinition(definition);
        var elsewhere = tree.PathFromRoot(categoryId).SkipLast(1)
            .Concat(tree.SubtreeIds(categoryId).Skip(1).Select(s => tree.Nodes[s]))
            .FirstOrDefault(n => n.Attributes.Any(a => a.Key == normalised.Key));
        if (elsewhere is not null)
        {
            throw Errors.Precondition("ATTRIBUTE_KEY_CONFLICT", $"The attribute {normalised.Key} is already defined on {elsewhere.Id}.", $"属性 {normalised.Key} 已在分类“{elsewhere.NameZh}”中定义。");
        }

        var index = node.Attributes.FindIndex(a => a.Key == normalised.Key);
        var attributes = index >= 0 ? node.Attributes.SetItem(index, normalised) : node.Attributes.Add(normalised);
        return Next(tree with { Nodes = tree.Nodes.SetItem(categoryId, node with { Attributes = attributes }) });
    }

    public static CategoryTree RemoveAttribute(CategoryTree tree, string categoryId, string key)
    {
        var node = tree.Get(categoryId);
        var existing = node.Attributes.FirstOrDefault(a => a.Key == key) ?? throw Errors.NotFound("Attribute", "属性");
        return Next(tree with { Nodes = tree.Nodes.SetItem(categoryId, node with { Attributes = node.Attributes.Remove(existing) }) });
    }

    private static void ValidateNames(Validation v, string? nameZh, string? nameEn)
    {
        v.Required("name_zh", nameZh, "Chinese name", "中文名称").Length("name_zh", nameZh, 1, 20, "Chinese name", "中文名称");
        v.Required("name_en", nameEn, "English name", "英文名称").Length("name_en", nameEn, 1, 50, "English name", "英文名称");
    }

    private static void ValidateVat(Validation v, decimal? vatRate)
    {
        if (vatRate is { } rate && !AllowedVatRates.Contains(rate))
        {
            v.Add("vat_rate", "INVALID_VAT_RATE", "The VAT rate must be 13%, 9%, 6% or 0%.", "增值税税率须为 13%、9%、6% 或 0%。");
        }
    }

    private static void ValidateDefinitions(Validation v, IReadOnlyList<AttributeDefinition> definitions, HashSet<string> inheritedKeys)
    {
        var seen = new HashSet<string>(inheritedKeys);
        for (var i = 0; i < definitions.Count; i++)
        {
            var field = $"attributes[{i}]";
            CatalogRules.ValidateDefinition(v, definitions[i], field);
            if (definitions[i] is { Key: { } key } && !seen.Add(key))
            {
                v.Add(field + ".key", "DUPLICATE_ATTRIBUTE_KEY", $"The attribute key {key} is already used in this category or above it.", $"属性键 {key} 在本分类或上级分类中已使用。");
            }
        }
    }

    private static DomainException HasListings(string id) =>
        Errors.Precondition("CATEGORY_HAS_LISTINGS", $"The category {id} has listings; move or delist them first.", "该分类下有商品，请先移走或下架。");

    private static CategoryTree Next(CategoryTree tree) => tree with { Version = tree.Version + 1 };

    [GeneratedRegex("^attributes\\[(\\d+)\\]")]
    private static partial Regex AttributeIndex();

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex CategoryIdPattern();
}
