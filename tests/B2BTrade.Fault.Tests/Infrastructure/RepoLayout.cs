namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Where the repository and the built server executables are, for the configuration this test was built in.</summary>
internal static class RepoLayout
{
    private static readonly DirectoryInfo s_outputDirectory = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The target framework folder name of this build, e.g. "net10.0".</summary>
    public static string TargetFramework { get; } = s_outputDirectory.Name;

    /// <summary>The configuration this test was built in: bin/&lt;Configuration&gt;/&lt;tfm&gt;/.</summary>
    public static string Configuration { get; } = s_outputDirectory.Parent?.Name
        ?? throw new InvalidOperationException($"Unexpected output folder {AppContext.BaseDirectory}.");

    /// <summary>The repository root: the nearest ancestor holding protos/ and grpc-api/.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The API host (single node, or cluster client).</summary>
    public static string ApiDll => Built(Path.Combine("grpc-api", "B2BTrade.GrpcApi"), "B2BTrade.GrpcApi.dll");

    /// <summary>The standalone silo host (cluster mode).</summary>
    public static string SiloDll => Built(Path.Combine("silo", "B2BTrade.Silo"), "B2BTrade.Silo.dll");

    private static string FindRoot()
    {
        for (var dir = s_outputDirectory; dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "protos")) && Directory.Exists(Path.Combine(dir.FullName, "grpc-api")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, TargetFramework, dll);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} does not exist: build the solution in {Configuration} first (dotnet build B2BTrade.sln -c {Configuration}).");
        }

        return path;
    }
}
