namespace B2BTrade.Silo.Hosting;

public enum RunMode
{
    SingleNode,
    Cluster,
}

/// <summary>The "B2BTrade" configuration section (kept out of "Orleans", which Orleans binds itself).</summary>
public sealed class B2BTradeOptions
{
    public const string Section = "B2BTrade";

    public RunMode Mode { get; set; } = RunMode.SingleNode;

    /// <summary>Single node: where the SQLite database, files, keys and the message outbox live.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Cluster: Npgsql connection string.</summary>
    public string? Postgres { get; set; }

    /// <summary>Cluster: Redis configuration string for membership, e.g. "127.0.0.1:6379".</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "b2btrade";

    public string ServiceId { get; set; } = "b2btrade";

    public SiloEndpointOptions Silo { get; set; } = new();

    /// <summary>SQLite synchronous=FULL (survives power loss) instead of NORMAL (survives process crashes).</summary>
    public bool SqliteSynchronousFull { get; set; }

    public int PasswordHashIterations { get; set; } = Domain.Identity.PasswordHasher.DefaultIterations;

    /// <summary>How long sellers (and buyers' approvers) have to answer an order before its stock is released.</summary>
    public TimeSpan OrderConfirmationWindow { get; set; } = Domain.Orders.OrderRules.DefaultConfirmationWindow;

    /// <summary>How long an upload may stay unfinished; then the bytes received so far are removed.</summary>
    public TimeSpan UploadWindow { get; set; } = B2BTrade.Grains.UploadSettings.DefaultWindow;

    /// <summary>A CJK font file for contract PDFs; empty: the usual Debian locations (fonts-wqy-microhei, fonts-noto-cjk).</summary>
    public string? ContractFontPath { get; set; }

    public string DataDirFullPath => Path.GetFullPath(DataDir);

    public void Validate()
    {
        if (Mode == RunMode.Cluster && (string.IsNullOrWhiteSpace(Postgres) || string.IsNullOrWhiteSpace(Redis)))
        {
            throw new InvalidOperationException("Cluster mode needs B2BTrade:Postgres and B2BTrade:Redis.");
        }

        if (OrderConfirmationWindow < TimeSpan.FromMinutes(1) || OrderConfirmationWindow > TimeSpan.FromDays(30))
        {
            throw new InvalidOperationException("B2BTrade:OrderConfirmationWindow must be between 00:01:00 and 30.00:00:00.");
        }

        if (UploadWindow < TimeSpan.FromSeconds(1) || UploadWindow > TimeSpan.FromDays(30))
        {
            throw new InvalidOperationException("B2BTrade:UploadWindow must be between 00:00:01 and 30.00:00:00.");
        }
    }
}

public sealed class SiloEndpointOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Cluster: the address other silos and clients use to reach this silo.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";
}
