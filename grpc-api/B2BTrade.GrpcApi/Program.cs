using B2BTrade.GrpcApi.Extensions;

// appsettings.json ships beside the binary; the data folder stays relative to where the process was started.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddB2BTradeApi();

var app = builder.Build();
app.MapB2BTradeApi();
app.Run();

/// <summary>Entry point; public for WebApplicationFactory in tests.</summary>
public partial class Program;
