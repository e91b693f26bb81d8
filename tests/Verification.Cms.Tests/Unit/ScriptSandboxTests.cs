using System.Text.Json.Nodes;
using Verification.Workflows.Scripting;

namespace Verification.Cms.Tests.Unit;

/// <summary>
/// A workflow script cannot exceed its memory inside a single call: one 'x'.repeat(268435456)
/// once allocated 518 MB before the between-statements check saw it.
/// </summary>
public sealed class ScriptSandboxTests
{
    [Theory]
    [Trait("Req", "R-1.4")]
    [InlineData("return 'x'.repeat(268435456).length;")]
    [InlineData("return ''.padStart(1e9, 'ab').length;")]
    [InlineData("return 'x'.padEnd(2e8).length;")]
    [InlineData("return new Array(100000).fill('x'.repeat(900000)).join('').length;")]
    [InlineData("return String(new Array(100000).fill('x'.repeat(900000))).length;")]
    [InlineData("String.prototype.repeat = function () { return ''; }; return 1;")]
    [InlineData("delete Array.prototype.join; return 1;")]
    public void OperationsThatWouldProduceHugeStringsFailBeforeAllocating(string script)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ScriptFaultException>(() => ScriptSandbox.RunBody(script, new JsonObject()));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L * 1024 * 1024, "nothing large was allocated");
    }

    [Theory]
    [InlineData("return 'ab'.repeat(3);", "ababab")]
    [InlineData("return [1, 'x', null, 2].join('-');", "1-x--2")]
    [InlineData("return '7'.padStart(3, '0') + 'a'.padEnd(2, '.');", "007a.")]
    [InlineData("return String([1, [2, 3]]);", "1,2,3")]
    public void OrdinaryStringWorkIsUnchanged(string script, string expected) =>
        Assert.Equal(expected, ScriptSandbox.RunBody(script, new JsonObject()).Result!.GetValue<string>());
}
