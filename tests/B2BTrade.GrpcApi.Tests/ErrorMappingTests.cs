using B2BTrade.Domain.Common;
using B2BTrade.GrpcApi.Interceptors;
using Grpc.Core;

namespace B2BTrade.GrpcApi.Tests;

public sealed class ErrorMappingTests
{
    [Theory]
    [InlineData(ErrorKind.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData(ErrorKind.NotFound, StatusCode.NotFound)]
    [InlineData(ErrorKind.FailedPrecondition, StatusCode.FailedPrecondition)]
    [InlineData(ErrorKind.Aborted, StatusCode.Aborted)]
    [InlineData(ErrorKind.AlreadyExists, StatusCode.AlreadyExists)]
    [InlineData(ErrorKind.ResourceExhausted, StatusCode.ResourceExhausted)]
    [InlineData(ErrorKind.PermissionDenied, StatusCode.PermissionDenied)]
    [InlineData(ErrorKind.Unauthenticated, StatusCode.Unauthenticated)]
    [InlineData(ErrorKind.Unavailable, StatusCode.Unavailable)]
    public void EveryDomainErrorKindMapsToItsGrpcStatus(ErrorKind kind, StatusCode expected)
    {
        var error = ErrorInterceptor.ToRpcException(new DomainException(kind, "SOME_REASON", "message", "消息"), "en-US");
        Assert.Equal(expected, error.StatusCode);
        Assert.Equal("SOME_REASON", RpcAssert.Reason(error));
    }

    [Fact]
    public void ClusterFailuresAreRetryableUnavailableWithAReason()
    {
        var error = ErrorInterceptor.ToRpcException(ErrorInterceptor.Unavailable, "zh-CN");
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("SERVICE_UNAVAILABLE", RpcAssert.Reason(error));
        Assert.True(ErrorInterceptor.IsTransient(new Orleans.Runtime.SiloUnavailableException()));
        Assert.True(ErrorInterceptor.IsTransient(new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:40021:0.")));
        Assert.False(ErrorInterceptor.IsTransient(new DomainException(ErrorKind.NotFound, "NOT_FOUND", "m", "m")));
    }
}
