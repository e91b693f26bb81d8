using Verification.Cms.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddVerificationCms();

var app = builder.Build();
app.UseVerificationCms();

if (await app.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

await app.RunAsync();
return 0;
