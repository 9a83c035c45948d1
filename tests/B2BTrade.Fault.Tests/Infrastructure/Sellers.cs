using B2BTrade.Protos.Catalog.V1;
using B2BTrade.Protos.Common.V1;
using B2BTrade.Protos.Enterprise.V1;
using B2BTrade.Protos.Files.V1;
using B2BTrade.Protos.Identity.V1;
using B2BTrade.Protos.Operations.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>A verified seller enterprise and the access token of its admin.</summary>
internal sealed record Seller(string Token, string EnterpriseId, string LegalName)
{
    public Metadata Auth => Accounts.Bearer(Token);
}

/// <summary>
/// The way to a seller that may list goods: register, upload a business licence, create the enterprise as a
/// seller, submit it for verification and approve it as the operator. Each call is retried on the statuses a
/// client must expect while the cluster heals (creates carry a request id, so a retry does its work once).
/// </summary>
internal static class Sellers
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(45);

    public static async Task<Seller> VerifiedAsync(GrpcChannel channel, IVerificationCodes codes, Metadata operatorAuth, string tag)
    {
        var identity = new IdentityService.IdentityServiceClient(channel);
        var files = new FileService.FileServiceClient(channel);
        var enterprises = new EnterpriseService.EnterpriseServiceClient(channel);
        var operators = new OperatorService.OperatorServiceClient(channel);

        var token = await Accounts.RegisterAsync(identity, codes, TestData.NewEmail(tag), s_budget);
        var auth = Accounts.Bearer(token);
        var licence = await UploadPngAsync(files, auth);

        var legalName = $"福州{tag}钢材贸易有限公司{Guid.NewGuid().ToString("N")[..4]}";
        var profile = TestData.Profile(legalName, TestData.NewCreditCode());
        profile.IsSeller = true;
        profile.BusinessLicenceFileId = licence;
        profile.BankAccounts.Add(new BankAccount { BankName = "中国工商银行", BranchName = "福州五四支行", AccountName = legalName, AccountNumber = "1402023109000012345" });
        var create = new CreateEnterpriseRequest { RequestId = Guid.NewGuid().ToString(), Profile = profile };
        var enterpriseId = (await Transient.RetryAsync(d => enterprises.CreateEnterpriseAsync(create, auth, d).ResponseAsync, s_budget)).Enterprise.EnterpriseId;

        await Transient.RetryAsync(
            d => enterprises.SubmitEnterpriseVerificationAsync(new SubmitEnterpriseVerificationRequest { EnterpriseId = enterpriseId }, auth, d).ResponseAsync, s_budget);
        var approved = await Transient.RetryAsync(
            d => operators.ApproveEnterpriseVerificationAsync(new ApproveEnterpriseVerificationRequest { EnterpriseId = enterpriseId }, operatorAuth, d).ResponseAsync, s_budget);
        Assert.Equal(VerificationStatus.Verified, approved.Enterprise.VerificationStatus);
        return new Seller(token, enterpriseId, legalName);
    }

    /// <summary>
    /// A complete rebar listing (steel.rebar: grade, diameter, length and mill are required) with a plain unit
    /// price, so its display price is that unit price.
    /// </summary>
    public static ListingSpec RebarSpec(string name, string grade, string origin, decimal price, decimal stock) => new()
    {
        CategoryId = "steel.rebar",
        Name = name,
        Attributes = { ["grade"] = grade, ["diameter"] = "Φ25", ["length"] = "12m", ["mill"] = "沙钢" },
        Brand = "沙钢",
        Origin = origin,
        WarehouseCity = "上海",
        WarehouseAddress = "宝山区蕴川路 1000 号",
        WeightBasis = WeightBasis.Theoretical,
        DeliveryPriceBasis = DeliveryPriceBasis.ExWorks,
        UnitPrice = new Money { CurrencyCode = "CNY", Amount = price.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) },
        MoqTonnes = new Protos.Common.V1.Decimal { Value = "25" },
        StockTonnes = new Protos.Common.V1.Decimal { Value = stock.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary>Uploads a minimal PNG (signature + IHDR header, random padding); returns its file id.</summary>
    private static async Task<string> UploadPngAsync(FileService.FileServiceClient files, Metadata auth)
    {
        var content = new byte[2048];
        byte[] header = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        Random.Shared.NextBytes(content);
        header.CopyTo(content, 0);

        var started = await Transient.RetryAsync(
            d => files.StartUploadAsync(new StartUploadRequest { DisplayName = "营业执照.png", SizeBytes = content.Length }, auth, d).ResponseAsync, s_budget);
        for (var offset = 0; offset < content.Length; offset += started.MaxChunkBytes)
        {
            var chunk = ByteString.CopyFrom(content, offset, Math.Min(started.MaxChunkBytes, content.Length - offset));
            var at = offset;
            await Transient.RetryAsync(
                d => files.UploadChunkAsync(new UploadChunkRequest { UploadId = started.UploadId, Offset = at, Data = chunk }, auth, d).ResponseAsync, s_budget);
        }

        var completed = await Transient.RetryAsync(
            d => files.CompleteUploadAsync(new CompleteUploadRequest { UploadId = started.UploadId }, auth, d).ResponseAsync, s_budget);
        return completed.File.FileId;
    }
}
