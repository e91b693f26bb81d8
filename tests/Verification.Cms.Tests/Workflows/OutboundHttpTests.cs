using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Security;
using Verification.Cms.Tests.Infrastructure;
using Verification.Workflows.Services;

namespace Verification.Cms.Tests.Workflows;

/// <summary>
/// A workflow's HTTP call is written by a tenant administrator: it may not reach the server's own ports, the
/// private network or the cloud metadata address (SSRF, R-18.5) unless the platform allow-lists the host.
/// </summary>
public sealed class OutboundHttpTests(SqliteHostFixture host) : IClassFixture<SqliteHostFixture>
{
    [Theory]
    [Trait("Req", "R-18.5")]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.20.30.40", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860::8888", false)]
    public void InternalAddressesAreKnownAsSuch(string address, bool expected) => Assert.Equal(expected, OutboundHttp.IsInternal(IPAddress.Parse(address)));

    [Fact]
    [Trait("Req", "R-18.5")]
    public async Task AWorkflowsHttpCallReachesNoInternalAddressUnlessTheHostIsAllowListed()
    {
        var tenant = await host.CreateTenantAsync("changzhou");
        using var target = new LoopbackListener("/hook/");
        var port = new Uri(target.Url).Port;
        var urls = new[] { $"http://localhost:{port}/hook/", "http://169.254.169.254/latest/meta-data/", "http://10.20.30.40:9/", $"http://[::1]:{port}/hook/", target.Url };
        var graph = new JsonObject
        {
            ["activities"] = new JsonArray(
                [new JsonObject { ["id"] = "start", ["type"] = "ManualStart" }, .. urls.Select((u, i) => (JsonNode)new JsonObject { ["id"] = "call" + i, ["type"] = "HttpRequest", ["props"] = new JsonObject { ["method"] = "GET", ["url"] = u, ["timeoutSeconds"] = 5 } })]),
            ["transitions"] = new JsonArray(
                [new JsonObject { ["from"] = "start", ["outcome"] = "Done", ["to"] = "call0" },
                .. Enumerable.Range(0, urls.Length - 1).Select(i => (JsonNode)new JsonObject { ["from"] = "call" + i, ["outcome"] = "Failed", ["to"] = "call" + (i + 1) })]),
        };
        await WorkflowDriver.PublishAsync(host, tenant.Name, "ssrf", graph.ToJsonString());
        var served = target.NextAsync(TimeSpan.FromSeconds(30));
        var instance = await host.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<WorkflowDefinitions>().StartManuallyAsync("ssrf", null, "cz.admin", default));
        var steps = await WorkflowDriver.StepsAsync(host, tenant.Name, instance);
        for (var i = 0; i < urls.Length - 1; i++)
        {
            var step = steps.Single(s => s.ActivityId == "call" + i);
            Assert.Equal("Failed", step.Outcome);
            Assert.Contains("拒绝访问内部网络地址", JsonNode.Parse(step.OutputJson!)!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // The one host on the allow-list is reached.
        Assert.Equal("Success", steps.Single(s => s.ActivityId == "call" + (urls.Length - 1)).Outcome);
        await served;
    }
}
