using System.Security.Cryptography;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Identity;
using B2BTrade.Grains;
using B2BTrade.Silo.Hosting;

namespace B2BTrade.GrpcApi.Extensions;

/// <summary>
/// Ensures the bootstrap operator account (B2BTrade:Operator:Email / Password) exists. Without a configured password a
/// single node generates one into {DataDir}/operator-password.txt (readable by the machine's owner only); no default password ships.
/// </summary>
public sealed partial class OperatorBootstrapper(IGrainFactory grains, IConfiguration configuration, B2BTradeOptions options, ILogger<OperatorBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = ContactAddress.ParseEmail(configuration["B2BTrade:Operator:Email"] ?? "operator@b2btrade.local", "B2BTrade:Operator:Email");
        var password = configuration["B2BTrade:Operator:Password"];
        if (string.IsNullOrEmpty(password))
        {
            if (options.Mode == RunMode.Cluster)
            {
                LogNoOperator();
                return;
            }

            password = ReadOrCreatePasswordFile();
        }

        var claim = grains.GetGrain<IUniqueClaimGrain>(email.Key);
        if (await claim.GetOwnerAsync() is not null)
        {
            return;
        }

        var userId = Ids.Derived("u", "bootstrap-operator", email.Value);
        var user = grains.GetGrain<IUserGrain>(userId);
        if (await user.GetAsync() is null)
        {
            await user.RegisterAsync(new RegisterUserCommand("平台运营", AccountKind.Individual, email, password, IsOperator: true));
        }

        await claim.ClaimAsync(userId);
        LogCreated(email.Masked);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string ReadOrCreatePasswordFile()
    {
        var path = Path.Combine(options.DataDirFullPath, "operator-password.txt");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var generated = "Op-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', '_').Replace('+', '-') + "#9";
        Directory.CreateDirectory(options.DataDirFullPath);
        File.WriteAllText(path, generated + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        LogGenerated(path);
        return generated;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap operator {Email} created")]
    private partial void LogCreated(string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the bootstrap operator password into {Path}")]
    private partial void LogGenerated(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No B2BTrade:Operator:Password configured in cluster mode; no bootstrap operator is created")]
    private partial void LogNoOperator();
}
