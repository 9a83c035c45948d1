using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace B2BTrade.Benchmarks;

/// <summary>Setup through the public API shared by the benchmarks that drive the real server (W2, W4).</summary>
internal static partial class BenchApi
{
    public const string OperatorEmail = "operator@b2btrade.bench";
    public const string OperatorPassword = "Oper#2026pass";
    public const string Password = "Steel#2026pass";

    public static async Task<string> VerifiedEnterpriseAsync(GrpcChannel channel, Metadata auth, Metadata operatorAuth, bool isSeller)
    {
        var files = new FileService.FileServiceClient(channel);
        var content = new byte[2048];
        RandomNumberGenerator.Fill(content);
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(content, 0);
        var upload = await files.StartUploadAsync(new StartUploadRequest { DisplayName = "营业执照.png", SizeBytes = content.Length }, auth);
        for (var offset = 0; offset < content.Length; offset += upload.MaxChunkBytes)
        {
            await files.UploadChunkAsync(new UploadChunkRequest { UploadId = upload.UploadId, Offset = offset, Data = ByteString.CopyFrom(content, offset, Math.Min(upload.MaxChunkBytes, content.Length - offset)) }, auth);
        }

        var licence = (await files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = upload.UploadId }, auth)).File.FileId;
        var legalName = $"福州{(isSeller ? "卖方" : "买方")}钢材贸易有限公司{Guid.NewGuid().ToString("N")[..4]}";
        var profile = new EnterpriseProfile
        {
            LegalName = legalName,
            UnifiedSocialCreditCode = NewCreditCode(),
            LegalRepresentative = "张伟",
            RegisteredAddress = "福建省福州市鼓楼区五四路100号",
            ContactName = "李娜",
            ContactPhone = "13812345678",
            IsBuyer = true,
            IsSeller = isSeller,
            BusinessLicenceFileId = licence,
        };
        if (isSeller)
        {
            profile.BankAccounts.Add(new BankAccount { BankName = "中国工商银行", BranchName = "福州五四支行", AccountName = legalName, AccountNumber = "1402023109000012345" });
        }

        var enterprises = new EnterpriseService.EnterpriseServiceClient(channel);
        var id = (await enterprises.CreateEnterpriseAsync(new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile }, auth)).Enterprise.EnterpriseId;
        await enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = id }, auth);
        await new OperatorService.OperatorServiceClient(channel).ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = id }, operatorAuth);
        return id;
    }

    public static async Task<string> RegisterAsync(IdentityService.IdentityServiceClient identity, BenchServer server, string email)
    {
        await identity.SendVerificationCodeAsync(new SendVerificationCodeRequest { Address = new ContactAddress { Email = email }, Purpose = VerificationPurpose.Register });
        var code = await server.WaitForCodeAsync(email);
        var registered = await identity.RegisterAsync(new RegisterRequest
        {
            Address = new ContactAddress { Email = email },
            Code = code,
            Password = Password,
            AccountKind = AccountKind.Enterprise,
            DisplayName = "压测用户",
        });
        return registered.Tokens.AccessToken;
    }

    public static async Task<string> LoginAsync(IdentityService.IdentityServiceClient identity, string email, string password = Password) =>
        (await identity.LoginWithPasswordAsync(new LoginWithPasswordRequest { Address = new ContactAddress { Email = email }, Password = password })).Tokens.AccessToken;

    public static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };

    public static string Email(string tag) => $"{tag}-{Guid.NewGuid():N}@b2btrade.bench";

    public static string NewCreditCode()
    {
        const string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var first17 = "91350100" + new string(Enumerable.Range(0, 9).Select(_ => charset[RandomNumberGenerator.GetInt32(charset.Length)]).ToArray());
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += charset.IndexOf(first17[i], StringComparison.Ordinal) * weights[i];
        }

        var check = 31 - (sum % 31);
        return first17 + charset[check == 31 ? 0 : check];
    }

    /// <summary>Native gRPC over HTTP/2 cleartext; more connections are opened as each reaches Kestrel's 100-stream limit.</summary>
    public static GrpcChannel Channel(Uri url) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
        MaxReceiveMessageSize = 16 * 1024 * 1024,
    });

    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The API to run: <paramref name="given"/> (--api-dll) or this checkout's Release build; null, after saying how to build it, when it is missing.</summary>
    public static string? FindApiDll(string? given)
    {
        var apiDll = given ?? Path.Combine(RepoRoot(), "grpc-api", "B2BTrade.GrpcApi", "bin", "Release", "net10.0", "B2BTrade.GrpcApi.dll");
        if (File.Exists(apiDll))
        {
            return apiDll;
        }

        Console.Error.WriteLine($"{apiDll} not found: dotnet build grpc-api/B2BTrade.GrpcApi -c Release");
        return null;
    }

    /// <summary>The opening lines of a server benchmark's report: what, when, the machine, and which build of the server.</summary>
    public static void SayHeader(BenchReport report, string title, string apiDll)
    {
        report.Say($"{title}, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPUs; load average at start: {LoadAverage()}");
        report.Say($"server: {apiDll} ({File.GetLastWriteTimeUtc(apiDll):yyyy-MM-dd HH:mm} UTC)");
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "protos")) && Directory.Exists(Path.Combine(dir.FullName, "grpc-api")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root above {AppContext.BaseDirectory}.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"(\d{6})")]
    internal static partial Regex SixDigits();
}

/// <summary>The API host in its single-node default on a temp data folder, run as `dotnet B2BTrade.GrpcApi.dll`.</summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _tail = new();

    private BenchServer(Process process, string folder, Uri grpcUrl)
    {
        _process = process;
        _folder = folder;
        GrpcUrl = grpcUrl;
    }

    public Uri GrpcUrl { get; }

    public int Pid => _process.Id;

    public string DataDir => Path.Combine(_folder, "data");

    /// <summary>The single-node SQLite file (SiloHosting: ${DataDir}/b2btrade.db).</summary>
    public string DatabasePath => Path.Combine(DataDir, "b2btrade.db");

    public static async Task<BenchServer> StartAsync(string apiDll, string tag)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"b2btrade-{tag}-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var (web, grpc) = (BenchApi.FreePort(), BenchApi.FreePort());
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(apiDll);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("B2BTrade__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Kestrel__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["B2BTrade__Mode"] = "SingleNode";
        start.Environment["B2BTrade__DataDir"] = Path.Combine(folder, "data");
        start.Environment["B2BTrade__Silo__SiloPort"] = BenchApi.FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["B2BTrade__Silo__GatewayPort"] = BenchApi.FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["B2BTrade__Operator__Email"] = BenchApi.OperatorEmail;
        start.Environment["B2BTrade__Operator__Password"] = BenchApi.OperatorPassword;
        // Registering the Sales members asks for more codes from 127.0.0.1 than the default 30 an hour.
        start.Environment["B2BTrade__RateLimits__CodesPerIpPerHour"] = "10000";
        start.Environment["Kestrel__Endpoints__Web__Url"] = $"http://127.0.0.1:{web}";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpc}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new BenchServer(process, folder, new Uri($"http://127.0.0.1:{grpc}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode}\n{server.Tail()}");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{web}/healthz")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > stop)
            {
                throw new TimeoutException($"/healthz did not answer 200 in 120 s\n{server.Tail()}");
            }

            await Task.Delay(300);
        }
    }

    /// <summary>CPU time the server process has used so far (user + system), in seconds.</summary>
    public double CpuSeconds()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }
        catch (InvalidOperationException)
        {
            return double.NaN;
        }
    }

    public long PeakMb()
    {
        try
        {
            _process.Refresh();
            return _process.PeakWorkingSet64 / 1048576;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>Reads the code the platform "sent" from ${DataDir}/outbox/messages.jsonl.</summary>
    public async Task<string> WaitForCodeAsync(string email)
    {
        var path = Path.Combine(DataDir, "outbox", "messages.jsonl");
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(100))
        {
            if (!File.Exists(path))
            {
                continue;
            }

            string text;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
            {
                text = await reader.ReadToEndAsync();
            }

            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                try
                {
                    using var json = JsonDocument.Parse(line);
                    if (string.Equals(json.RootElement.GetProperty("recipient").GetString(), email, StringComparison.OrdinalIgnoreCase))
                    {
                        return BenchApi.SixDigits().Match(json.RootElement.GetProperty("body").GetString() ?? "").Groups[1].Value;
                    }
                }
                catch (JsonException)
                {
                }
            }
        }

        throw new TimeoutException($"no verification code for {email}");
    }

    public string Tail() => string.Join('\n', _tail);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _tail.Enqueue(line);
        while (_tail.Count > 80)
        {
            _tail.TryDequeue(out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A benchmark's report: each line printed as it comes and kept, for --out.</summary>
public sealed class BenchReport
{
    private readonly System.Text.StringBuilder _text = new();

    public void Say(string line)
    {
        Console.WriteLine(line);
        _text.AppendLine(line);
    }

    public override string ToString() => _text.ToString();
}
