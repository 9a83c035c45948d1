using System.Net;
using System.Net.Sockets;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace B2BTrade.GrpcApi.Tests;

/// <summary>A clock that runs with real time plus a shift tests can move forward (Orleans' own timers keep running).</summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _shiftTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _shiftTicks, by.Ticks);
}

/// <summary>The real API host (silo embedded, SQLite in a temporary data folder) served in-process.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string OperatorEmail = "operator@test.b2btrade.local";
    public const string OperatorPassword = "Op3rator!Pass#2026";

    public ApiFactory()
    {
        DataDir = Directory.CreateTempSubdirectory("b2btrade-api-").FullName;
    }

    public string DataDir { get; }

    public ShiftedTimeProvider Time { get; } = new();

    protected virtual int CodesPerIpPerHour => 100_000;

    protected virtual int PasswordFailuresPerIpPerHour => 100_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("B2BTrade:DataDir", DataDir);
        builder.UseSetting("B2BTrade:Silo:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("B2BTrade:Silo:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("B2BTrade:Operator:Email", OperatorEmail);
        builder.UseSetting("B2BTrade:Operator:Password", OperatorPassword);
        builder.UseSetting("B2BTrade:RateLimits:CodesPerIpPerHour", CodesPerIpPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("B2BTrade:RateLimits:PasswordFailuresPerIpPerHour", PasswordFailuresPerIpPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("B2BTrade:WebRoot", Path.Combine(DataDir, "no-web"));
        ConfigureSettings(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    protected virtual void ConfigureSettings(IWebHostBuilder builder)
    {
    }

    public GrpcChannel NativeChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });

    public GrpcChannel WebChannel() =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, Server.CreateHandler()),
        });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}

/// <summary>Typed clients over one channel plus the flows most tests need (register, log in, create an enterprise).</summary>
public sealed class Api(GrpcChannel channel, ApiFactory factory)
{
    private static int s_counter;

    public IdentityService.IdentityServiceClient Identity { get; } = new(channel);
    public EnterpriseService.EnterpriseServiceClient Enterprises { get; } = new(channel);
    public FileService.FileServiceClient Files { get; } = new(channel);
    public OperatorService.OperatorServiceClient Operator { get; } = new(channel);
    public Protos.Catalog.V1.CatalogService.CatalogServiceClient Catalog { get; } = new(channel);
    public ApiFactory Factory => factory;

    public static Metadata Bearer(string accessToken, string language = "zh-CN") =>
        new() { { "authorization", "Bearer " + accessToken }, { "accept-language", language } };

    public static string UniquePhone() =>
        "139" + (Environment.ProcessId % 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture)
        + (Interlocked.Increment(ref s_counter) % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    public static string UniqueEmail() => $"u{Guid.NewGuid():N}@example.com";

    public static ContactAddress Phone(string phone) => new() { Phone = phone };

    public static ContactAddress Email(string email) => new() { Email = email };

    private string? _operatorToken;

    public async Task<string> OperatorTokenAsync()
    {
        _operatorToken ??= (await Identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = Email(ApiFactory.OperatorEmail), Password = ApiFactory.OperatorPassword })).Tokens.AccessToken;
        return _operatorToken;
    }

    /// <summary>The newest code sent to the recipient, read through the operator's outbox RPC.</summary>
    public async Task<string> LatestCodeAsync(string recipient)
    {
        var messages = await Operator.ListOutboxMessagesAsync(new ListOutboxMessagesRequest { Recipient = recipient, PageSize = 1 }, Bearer(await OperatorTokenAsync()));
        var body = Assert.Single(messages.Messages).Body;
        var match = System.Text.RegularExpressions.Regex.Match(body, @"\b(\d{6})\b");
        Assert.True(match.Success, $"No code in: {body}");
        return match.Groups[1].Value;
    }

    public const string StrongPassword = "Steel#2026pass";

    public async Task<RegisterResponse> RegisterAsync(ContactAddress address, AccountKind kind = AccountKind.Enterprise, string password = StrongPassword, string name = "测试用户")
    {
        await Identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = address, Purpose = VerificationPurpose.Register });
        var code = await LatestCodeAsync(address.Phone.Length > 0 ? "+86" + address.Phone : address.Email);
        return await Identity.RegisterAsync(new RegisterRequest { Address = address, Code = code, Password = password, AccountKind = kind, DisplayName = name });
    }

    /// <summary>A random but valid unified social credit code (only one verified enterprise may hold a code).</summary>
    public static string UniqueCreditCode()
    {
        const string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var body = "91310000" + new string(Enumerable.Range(0, 9).Select(_ => charset[Random.Shared.Next(charset.Length)]).ToArray());
        return body + Domain.Enterprises.UnifiedSocialCreditCode.CheckCharacter(body);
    }

    public static EnterpriseProfile Profile(string name = "上海宝钢测试贸易有限公司", string? creditCode = null) => new()
    {
        LegalName = name,
        UnifiedSocialCreditCode = creditCode ?? UniqueCreditCode(),
        LegalRepresentative = "张三",
        RegisteredAddress = "上海市浦东新区世纪大道100号",
        ContactName = "李四",
        ContactPhone = "13800138000",
        IsBuyer = true,
        IsSeller = true,
        BankAccounts = { new BankAccount { BankName = "中国工商银行", BranchName = "上海分行营业部", AccountName = name, AccountNumber = "1001234509876543210" } },
    };

    public async Task<FileMetadata> UploadAsync(string token, byte[] content, string name = "licence.png", string enterpriseId = "")
    {
        var started = await Files.StartUploadAsync(new StartUploadRequest { DisplayName = name, SizeBytes = content.Length, EnterpriseId = enterpriseId }, Bearer(token));
        for (var offset = 0; offset < content.Length; offset += started.MaxChunkBytes)
        {
            var chunk = content.AsMemory(offset, Math.Min(started.MaxChunkBytes, content.Length - offset));
            await Files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = offset, Data = Google.Protobuf.ByteString.CopyFrom(chunk.Span) }, Bearer(token));
        }

        return (await Files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, Bearer(token))).File;
    }

    /// <summary>A minimal valid PNG (8-byte signature + IHDR chunk) with some padding.</summary>
    public static byte[] Png(int size = 2048)
    {
        var bytes = new byte[size];
        byte[] header = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        header.CopyTo(bytes, 0);
        Random.Shared.NextBytes(bytes.AsSpan(header.Length));
        return bytes;
    }

    /// <summary>Registers a user, uploads a licence and creates an enterprise; returns the admin's token and the enterprise.</summary>
    public async Task<(string Token, RegisterResponse User, Enterprise Enterprise)> EnterpriseWithAdminAsync(string? name = null)
    {
        var user = await RegisterAsync(Phone(UniquePhone()));
        var token = user.Tokens.AccessToken;
        var licence = await UploadAsync(token, Png());
        var profile = Profile(name ?? "测试钢铁贸易有限公司" + Guid.NewGuid().ToString("N")[..6]);
        profile.BusinessLicenceFileId = licence.FileId;
        var created = await Enterprises.CreateEnterpriseAsync(new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile }, Bearer(token));
        return (token, user, created.Enterprise);
    }

    /// <summary>An enterprise approved by the operator, i.e. a verified seller.</summary>
    public async Task<(string Token, RegisterResponse User, Enterprise Enterprise)> VerifiedSellerAsync()
    {
        var (token, user, enterprise) = await EnterpriseWithAdminAsync();
        await Enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Bearer(token));
        var approved = await Operator.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = enterprise.EnterpriseId }, Bearer(await OperatorTokenAsync()));
        return (token, user, approved.Enterprise);
    }

    public static Protos.Catalog.V1.ListingSpec RebarSpec(string stock = "1200.500") => new()
    {
        CategoryId = "steel.rebar",
        Name = "沙钢 HRB400E 螺纹钢 Φ25 12m",
        Attributes = { ["grade"] = "HRB400E", ["diameter"] = "Φ25", ["length"] = "12m", ["mill"] = "沙钢" },
        Origin = "江苏张家港",
        WarehouseCity = "上海",
        WarehouseAddress = "宝山区蕴川路 1000 号",
        WeightBasis = Protos.Catalog.V1.WeightBasis.Theoretical,
        DeliveryPriceBasis = Protos.Catalog.V1.DeliveryPriceBasis.ExWorks,
        UnitPrice = new Protos.Common.V1.Money { CurrencyCode = "CNY", Amount = "3650.00" },
        MoqTonnes = new Protos.Common.V1.Decimal { Value = "25" },
        StockTonnes = new Protos.Common.V1.Decimal { Value = stock },
    };

    /// <summary>Polls until the read model shows what a condition needs (projection is asynchronous, normally milliseconds).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}

public static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call, string? reason = null)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"Expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        if (reason is not null)
        {
            Assert.Equal(reason, Reason(error));
        }

        return error;
    }

    public static string? Reason(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason;

    public static IReadOnlyList<Google.Rpc.BadRequest.Types.FieldViolation> Violations(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations ?? [];
}
