using System.Net;
using System.Net.Http.Json;
using Verification.Exchange.Contract;
using Verification.Exchange.Simulation;

namespace Verification.Cms.Tests.Exchange;

/// <summary>
/// A simulated provider remembers its keys and registered clients across a restart, as a real one does
/// before, every query after a restart was refused "sender.unknown" and 2,000 reports read
/// "拒绝查询". The simulator runs as its own process over HTTP and is stopped and started again.
/// </summary>
public sealed class SimulatorRestartTests
{
    [Fact]
    [Trait("Req", "R-5.1")]
    public async Task ARestartedSimulatorStillKnowsItsClientsAndKeepsItsKeys()
    {
        var state = Path.Combine(Path.GetTempPath(), "vcms-sim-" + Guid.NewGuid().ToString("N")[..8], "state.json");
        using var clientKey = MessageSigner.NewKey();
        string providerKey;
        using (var first = await SimulatorProcess.StartAsync("--state", state))
        {
            using var http = new HttpClient { BaseAddress = new Uri(first.BaseUrl) };
            var registered = await http.PostAsJsonAsync("/providers/mps/clients", new { sender = "vcms:restart", publicKeyPem = MessageSigner.PublicKeyPem(clientKey) });
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
            providerKey = await http.GetStringAsync("/providers/mps/public-key");
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(http, clientKey)).StatusCode);
        }

        using (var second = await SimulatorProcess.StartAsync("--state", state))
        {
            using var http = new HttpClient { BaseAddress = new Uri(second.BaseUrl) };
            Assert.Equal(providerKey, await http.GetStringAsync("/providers/mps/public-key"));
            var answer = await SendAsync(http, clientKey);
            Assert.True(answer.StatusCode == HttpStatusCode.Accepted, await answer.Content.ReadAsStringAsync());
        }

        // Without its state a simulator forgets the client: the check above can fail.
        using var forgetful = await SimulatorProcess.StartAsync();
        using var fresh = new HttpClient { BaseAddress = new Uri(forgetful.BaseUrl) };
        var refused = await SendAsync(fresh, clientKey);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(ReasonCodes.UnknownSender, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(state)!, recursive: true);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, System.Security.Cryptography.ECDsa key)
    {
        var request = MessageSigner.Sign(
            new QueryRequest(new MessageHeader(Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, "vcms:restart", "mps", null), [new QueryItem("r1", TestSubjects.IdNumber(7), "测试", ["mps.hukou.registration"], TestSubjects.Authorization(7), "aa")]),
            key);
        return http.PostAsJsonAsync("/providers/mps/queries", request, MessageSigner.Json);
    }
}
