using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace B2BTrade.Grains.Infrastructure;

/// <summary>
/// Remembers the <see cref="GrainInterfaceType"/> Orleans derives for each grain interface. Orleans 10.4 derives it again
/// on every <c>GetGrain</c> call: an attribute scan by reflection and the formatting of the type's full name, about 2.7%
/// of the server's CPU when placing orders (about ten grain references per order). The first time a type is asked for,
/// this provider lets Orleans' own providers and convention answer and keeps that answer, so the value is always the one
/// Orleans would give; after that it answers from memory. It must be the first provider registered (see
/// <see cref="Register"/>), since the resolver asks providers in registration order.
/// </summary>
public sealed class RememberedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    [ThreadStatic]
    private static bool t_resolving;

    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _remembered = new();
    private GrainInterfaceTypeResolver? _resolver;

    public bool Remembers(Type type) => _remembered.ContainsKey(type);

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (_remembered.TryGetValue(type, out grainInterfaceType))
        {
            return true;
        }

        if (t_resolving)
        {
            // Called back from the resolver below: let the other providers and the convention answer.
            return false;
        }

        t_resolving = true;
        try
        {
            // Resolved here, not in the constructor: the resolver is built from the providers, this one included.
            _resolver ??= services.GetRequiredService<GrainInterfaceTypeResolver>();
            grainInterfaceType = _remembered.GetOrAdd(type, _resolver.GetGrainInterfaceType(type));
            return true;
        }
        finally
        {
            t_resolving = false;
        }
    }

    /// <summary>Registers the provider ahead of every other one (silo and client alike).</summary>
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<RememberedGrainInterfaceTypes>();
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider>(sp => sp.GetRequiredService<RememberedGrainInterfaceTypes>()));
        return services;
    }
}
