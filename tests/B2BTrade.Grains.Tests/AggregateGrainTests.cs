using B2BTrade.Domain.Common;
using B2BTrade.Domain.Enterprises;
using B2BTrade.Domain.Identity;
using B2BTrade.Silo.Data;
using B2BTrade.Silo.ReadModel;
using Microsoft.Extensions.DependencyInjection;

namespace B2BTrade.Grains.Tests;

/// <summary>Runs over each store; see the concrete classes beside <see cref="ClusterFixture"/>.</summary>
public abstract class AggregateGrainTests(ClusterFixture fixture)
{
    private static readonly Caller s_admin = new("u_admin00000000000000000000", false, "管理员");

    private static EnterpriseProfile Profile() => new()
    {
        LegalName = "江苏沙钢测试贸易有限公司",
        UnifiedSocialCreditCode = "91350100M000100Y43",
        LegalRepresentative = "王五",
        RegisteredAddress = "江苏省张家港市锦丰镇",
        ContactName = "赵六",
        ContactPhone = "13900139000",
        IsSeller = true,
    };

    private async Task<IEnterpriseGrain> NewEnterpriseAsync(Caller admin)
    {
        var requestId = Guid.NewGuid().ToString();
        var grain = fixture.Grains.GetGrain<IEnterpriseGrain>(Ids.Derived("ent", admin.UserId, requestId));
        await grain.CreateAsync(admin, requestId, Profile());
        return grain;
    }

    [Fact]
    public void GrainInterfaceTypesAreRememberedAsOrleansDerivesThem()
    {
        var providers = fixture.SiloServices.GetServices<IGrainInterfaceTypeProvider>().ToList();
        var remembered = Assert.IsType<Infrastructure.RememberedGrainInterfaceTypes>(providers[0]);
        var resolver = fixture.SiloServices.GetRequiredService<Orleans.Metadata.GrainInterfaceTypeResolver>();
        Type[] interfaces = [typeof(IOrderGrain), typeof(IListingGrain), typeof(IUserGrain), typeof(IOrderPricingGrain)];

        var grains = fixture.SiloServices.GetRequiredService<IGrainFactory>();
        var order = grains.GetGrain<IOrderGrain>("ord_remembered");
        var pricing = grains.GetGrain<IOrderPricingGrain>(0);

        Assert.True(remembered.Remembers(typeof(IOrderGrain)));
        Assert.True(remembered.Remembers(typeof(IOrderPricingGrain)));
        Assert.Equal(resolver.GetGrainInterfaceTypeByConvention(typeof(IOrderGrain)), ((GrainReference)order).InterfaceType);
        Assert.Equal(resolver.GetGrainInterfaceTypeByConvention(typeof(IOrderPricingGrain)), ((GrainReference)pricing).InterfaceType);
        foreach (var type in interfaces)
        {
            Assert.Equal(resolver.GetGrainInterfaceTypeByConvention(type), resolver.GetGrainInterfaceType(type));
            Assert.True(remembered.Remembers(type));
        }
    }

    [Fact]
    public async Task EnterpriseStateIsReadBackFromSqliteAfterDeactivation()
    {
        var grain = await NewEnterpriseAsync(s_admin);
        await grain.SubmitAsync(s_admin).ContinueWith(_ => { }); // no licence: refused, must not change anything
        await fixture.Cluster.DeactivateAsync(grain);

        var reloaded = await grain.GetAsync(s_admin);
        Assert.Equal(VerificationStatus.Unverified, reloaded.State.Status);
        Assert.Equal("江苏沙钢测试贸易有限公司", reloaded.State.Profile.LegalName);
        Assert.Equal(1, reloaded.State.Version);
    }

    [Fact]
    public async Task CreatingUnderAnIdNotDerivedFromTheCallersRequestIsRefused()
    {
        var grain = fixture.Grains.GetGrain<IEnterpriseGrain>(Ids.NewId("ent"));
        var error = await Assert.ThrowsAsync<DomainException>(() => grain.CreateAsync(s_admin, Guid.NewGuid().ToString(), Profile()));
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
    }

    [Fact]
    public async Task ConcurrentAcceptAndRevokeOfOneInvitationHaveExactlyOneWinner()
    {
        for (var round = 0; round < 10; round++)
        {
            var grain = await NewEnterpriseAsync(s_admin);
            var address = ContactAddress.ParseEmail($"buyer{round}@example.com", "email");
            var invitation = await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), address, [MemberRole.Purchaser], null);
            var invitee = new Caller(Ids.NewId("u"), false, "采购员");

            var accept = grain.AcceptInvitationAsync(invitee, invitation.InvitationId, [address]);
            var revoke = grain.RevokeInvitationAsync(s_admin, invitation.InvitationId);
            var outcomes = await Task.WhenAll(Outcome(accept), Outcome(revoke));
            Assert.Single(outcomes, ok => ok);

            var state = (await grain.GetAsync(s_admin)).State;
            var final = state.Invitations.Single(i => i.InvitationId == invitation.InvitationId).Status;
            Assert.Equal(final == InvitationStatus.Accepted, state.Members.ContainsKey(invitee.UserId));
            Assert.Contains(final, new[] { InvitationStatus.Accepted, InvitationStatus.Revoked });
        }

        static async Task<bool> Outcome(Task task)
        {
            try
            {
                await task;
                return true;
            }
            catch (DomainException e) when (e.Reason == "INVITATION_NOT_PENDING")
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task EachAuditEntryStartsFromTheStateThePreviousEntryEndedIn()
    {
        var grain = await NewEnterpriseAsync(s_admin);
        var id = grain.GetPrimaryKeyString();
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137010", "phone"), [MemberRole.Sales], null);
        await grain.SubmitAsync(s_admin).ContinueWith(_ => { }); // refused: writes nothing
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137011", "phone"), [MemberRole.Finance], null);
        await fixture.Cluster.DeactivateAsync(grain);
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137012", "phone"), [MemberRole.Purchaser], null);
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137013", "phone"), [MemberRole.Admin], null);

        var entries = await fixture.SiloServices.GetRequiredService<ReadModelQueries>().GetAuditTrailAsync("enterprise", id);
        Assert.Equal(5, entries.Count);
        Assert.Equal("null", entries[0].BeforeJson);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].AfterJson, entries[i].BeforeJson);
            Assert.NotEqual(entries[i].BeforeJson, entries[i].AfterJson);
        }

        Assert.Equal(0, AuditChain(entries));
    }

    [Fact]
    public async Task TamperingWithAStoredAuditEntryIsDetected()
    {
        var grain = await NewEnterpriseAsync(s_admin);
        var id = grain.GetPrimaryKeyString();
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137000", "phone"), [MemberRole.Sales], null);
        await grain.InviteAsync(s_admin, Guid.NewGuid().ToString(), ContactAddress.ParsePhone("13700137001", "phone"), [MemberRole.Finance], null);
        var queries = fixture.SiloServices.GetRequiredService<ReadModelQueries>();
        Assert.Equal(0, AuditChain(await queries.GetAuditTrailAsync("enterprise", id)));

        await using (var connection = await fixture.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE audit_log SET actor = 'u_mallory' WHERE aggregate_type = 'enterprise' AND aggregate_id = @id AND sequence = 2", null, ("@id", id));
        }

        Assert.Equal(2, AuditChain(await queries.GetAuditTrailAsync("enterprise", id)));
    }

    [Fact]
    public async Task ChangesReachTheReadModelAndStaleOrRepeatedEventsChangeNothing()
    {
        var grain = await NewEnterpriseAsync(s_admin);
        var id = grain.GetPrimaryKeyString();
        var queries = fixture.SiloServices.GetRequiredService<ReadModelQueries>();
        var page = await Eventually(() => queries.ListEnterprisesOfUserAsync(s_admin.UserId, 100, null), p => p.Items.Any(e => e.EnterpriseId == id));
        Assert.Contains(page.Items, e => e.EnterpriseId == id && e.Roles.SequenceEqual([(int)MemberRole.Admin]));

        // A crash after the state commit but before projection leaves the event in the outbox; a stale replay must not win.
        var projector = fixture.SiloServices.GetRequiredService<OutboxProjector>();
        await fixture.Database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, kind, version, payload, occurred_at) VALUES (@e, 'enterprise', @id, 'enterprise.snapshot', 0, @payload, @at)",
            transaction, ("@e", Ids.NewId("evt")), ("@id", id), ("@at", DateTimeOffset.UtcNow),
            ("@payload", $$"""{"enterpriseId":"{{id}}","legalName":"旧名称","creditCode":"x","status":1,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","submittedAt":null,"members":[],"invitations":[]}""")));
        while (await projector.DispatchBatchAsync() > 0)
        {
        }

        var after = await queries.ListEnterprisesOfUserAsync(s_admin.UserId, 100, null);
        Assert.Contains(after.Items, e => e.EnterpriseId == id && e.LegalName == "江苏沙钢测试贸易有限公司");
        await using var connection = await fixture.Database.OpenAsync();
        Assert.Empty(await connection.QueryAsync("SELECT id FROM outbox", r => r.GetInt64(0)));
    }

    [Fact]
    public async Task AnInboxNoticeReplayedFromTheOutboxIsPostedOnce()
    {
        var grain = await NewEnterpriseAsync(s_admin);
        var id = grain.GetPrimaryKeyString();
        var queries = fixture.SiloServices.GetRequiredService<ReadModelQueries>();
        await Eventually(() => queries.ListEnterprisesOfUserAsync(s_admin.UserId, 100, null), p => p.Items.Any(e => e.EnterpriseId == id));
        var subject = Ids.NewId("thr");
        var notice = new InboxNotice(NotificationKind.Message, subject, "新消息", "New message", "你好", "Hello", [new InboxRecipients(id, [(int)MemberRole.Admin])], null, Coalesce: true);
        var eventId = Ids.NewId("evt");

        // The same event twice: what a crash between the inbox commit and the outbox delete leaves behind.
        var projector = fixture.SiloServices.GetRequiredService<OutboxProjector>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await fixture.Database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(
                "INSERT INTO outbox (event_id, aggregate_type, aggregate_id, kind, version, payload, occurred_at) VALUES (@e, 'negotiation', @s, @kind, 1, @payload, @at)",
                transaction, ("@e", eventId), ("@s", subject), ("@kind", InboxNotice.EventKind), ("@at", DateTimeOffset.UtcNow),
                ("@payload", System.Text.Json.JsonSerializer.Serialize(notice))));
            while (await projector.DispatchBatchAsync() > 0)
            {
            }
        }

        var inbox = fixture.SiloServices.GetRequiredService<NegotiationQueries>();
        var items = (await inbox.ListInboxAsync(s_admin.UserId, unreadOnly: false, 100, null)).Items.Where(i => i.SubjectId == subject).ToList();
        Assert.Equal(1, Assert.Single(items).Count);
        await using var connection = await fixture.Database.OpenAsync();
        Assert.Empty(await connection.QueryAsync("SELECT id FROM outbox WHERE event_id = @e", r => r.GetInt64(0), null, ("@e", eventId)));
    }

    [Fact]
    public async Task UploadedChunksBecomeOneStoredFileOnlyItsOwnerCanRead()
    {
        var owner = new Caller(Ids.NewId("u"), false, "上传者");
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);
        "%PDF-1.7\n"u8.CopyTo(content);
        var upload = fixture.Grains.GetGrain<IUploadGrain>(Ids.NewId("up"));
        var started = await upload.StartAsync(owner, "质检报告.pdf", content.Length, null);
        for (var offset = 0; offset < content.Length; offset += 100_000)
        {
            await upload.AppendAsync(owner, offset, content[offset..Math.Min(offset + 100_000, content.Length)]);
        }

        var stored = await upload.CompleteAsync(owner, null);
        Assert.Equal(("application/pdf", (long)content.Length), (stored.ContentType, stored.SizeBytes));
        Assert.Equal(stored.FileId, (await upload.CompleteAsync(owner, null)).FileId);
        await using (var bytes = await fixture.SiloServices.GetRequiredService<Grains.Infrastructure.IFileStore>().OpenFileAsync(stored.FileId))
        {
            var copy = new MemoryStream();
            await bytes.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }

        var stranger = new Caller(Ids.NewId("u"), false, "路人");
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => fixture.Grains.GetGrain<IFileGrain>(stored.FileId).GetAsync(stranger))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<DomainException>(() => upload.AppendAsync(stranger, 0, [1]))).Kind);
        Assert.NotNull(started.UploadId);
    }

    private static long AuditChain(IReadOnlyList<Domain.Audit.AuditRecord> entries) => Domain.Audit.AuditChain.FirstBrokenSequence(entries);

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        T value;
        while (!done(value = await read()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return value;
    }
}
