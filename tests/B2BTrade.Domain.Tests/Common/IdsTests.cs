using B2BTrade.Domain.Common;

namespace B2BTrade.Domain.Tests.Common;

public class IdsTests
{
    [Fact]
    public void DerivedIdIsTheSameForARetriedRequest()
    {
        Assert.Equal(Ids.Derived("o", "u_abcdefgh", "req-00000001"), Ids.Derived("o", "u_abcdefgh", "req-00000001"));
    }

    [Fact]
    public void DerivedIdDiffersAcrossScopesAndRequests()
    {
        var ids = new[]
        {
            Ids.Derived("o", "u_abcdefgh", "req-00000001"),
            Ids.Derived("o", "u_abcdefgj", "req-00000001"),
            Ids.Derived("o", "u_abcdefgh", "req-00000002"),
            Ids.Derived("o", "u_abcdefgh\nreq", "00000001"),
        };

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Ids.IsWellFormed(id, "o"), id));
    }

    [Fact]
    public void NewIdHasThePrefixAndIsWellFormedAndUnique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.NewId("ent")).ToList();

        Assert.All(ids, id =>
        {
            Assert.StartsWith("ent_", id, StringComparison.Ordinal);
            Assert.Equal(4 + 21, id.Length);
            Assert.True(Ids.IsWellFormed(id, "ent"), id);
            Assert.False(Ids.IsWellFormed(id, "en"), id);
        });
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("6f1c2a3e-9b7d-4c1e-8f2a-0d3b4c5e6f70")]
    [InlineData("req_0001")]
    [InlineData("ABCDEFGH")]
    public void AcceptsRequestIdsSuchAsUuids(string requestId)
    {
        Assert.Equal(requestId, Ids.ValidateRequestId(requestId));
    }

    [Theory]
    [InlineData("1234567", "INVALID_FORMAT")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "INVALID_FORMAT")]
    [InlineData("req 00000001", "INVALID_FORMAT")]
    [InlineData("../../etc/passwd", "INVALID_FORMAT")]
    [InlineData("请求编号请求编号请求编号", "INVALID_FORMAT")]
    [InlineData("", "REQUIRED")]
    [InlineData("   ", "REQUIRED")]
    [InlineData(null, "REQUIRED")]
    public void RejectsMalformedRequestIds(string? requestId, string reason)
    {
        var error = Assert.Throws<DomainException>(() => Ids.ValidateRequestId(requestId, "order.request_id"));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal("order.request_id", Assert.Single(error.Violations).Field);
    }

    [Theory]
    [InlineData("f_../etc/passwd")]
    [InlineData("f_..")]
    [InlineData("f_abc/def")]
    [InlineData("f_ABCDEFGH")]
    [InlineData("f_abcdefgi")]
    [InlineData("g_abcdefgh")]
    [InlineData("fabcdefgh")]
    [InlineData("f_")]
    [InlineData("")]
    [InlineData(null)]
    public void RejectsIdsThatAreNotSafeKeys(string? id)
    {
        Assert.False(Ids.IsWellFormed(id, "f"));
    }

    [Fact]
    public void RejectsOverlongIds()
    {
        Assert.True(Ids.IsWellFormed("f_" + new string('a', 62), "f"));
        Assert.False(Ids.IsWellFormed("f_" + new string('a', 63), "f"));
    }
}
