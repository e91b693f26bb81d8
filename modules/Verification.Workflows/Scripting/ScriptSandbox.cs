using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Verification.Workflows.Scripting;

/// <summary>
/// Script conditions staff write in the designer, run in Jint with no way out: no CLR
/// access, no eval or Function constructor, strict mode, and limits on time, statements, memory,
/// recursion and array size. Anything that breaks a limit or throws becomes a
/// <see cref="ScriptFaultException"/> with a Chinese message, which the runtime records as an incident.
/// The script sees the scope's JSON (variables, input, case, today) as plain JavaScript values.
/// </summary>
public static class ScriptSandbox
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);
    public const int MaxStatements = 50_000;
    public const long MaxMemoryBytes = 16 * 1024 * 1024;
    public const int MaxRecursion = 64;
    public const uint MaxArraySize = 100_000;

    /// <summary>Evaluates an expression (or statements; the last one's value counts) and returns its value as JSON.</summary>
    public static JsonNode? Evaluate(string script, JsonObject scope) => Run(script, scope, wrap: false).Result;

    /// <summary>Runs a function body (may <c>return</c>); returns its value and the scope's <c>variables</c> as the script left them.</summary>
    public static (JsonNode? Result, JsonObject? Variables) RunBody(string body, JsonObject scope) => Run(body, scope, wrap: true);

    private static (JsonNode? Result, JsonObject? Variables) Run(string script, JsonObject scope, bool wrap)
    {
        var engine = new Engine(options =>
        {
            options.Strict();
            options.DisableStringCompilation();
            options.Interop.Enabled = false;
            options.TimeoutInterval(Timeout);
            options.MaxStatements(MaxStatements);
            options.LimitMemory(MaxMemoryBytes);
            options.LimitRecursion(MaxRecursion);
            options.Constraints.MaxArraySize = MaxArraySize;
            options.Constraints.RegexTimeout = TimeSpan.FromMilliseconds(200);
        });
        try
        {
            var parser = new JsonParser(engine);
            foreach (var (name, value) in scope)
            {
                engine.SetValue(name, value is null ? JsValue.Null : parser.Parse(value.ToJsonString()));
            }

            var result = engine.Evaluate(wrap ? "(function () {\n" + script + "\n})()" : script);
            var json = ToJson(engine, result);
            var variables = wrap ? ToJson(engine, engine.GetValue("variables")) as JsonObject : null;
            return (json, variables);
        }
        catch (TimeoutException)
        {
            throw new ScriptFaultException($"脚本运行超过 {Timeout.TotalMilliseconds:0} 毫秒，已停止。");
        }
        catch (StatementsCountOverflowException)
        {
            throw new ScriptFaultException($"脚本执行的语句超过 {MaxStatements} 条（可能是死循环），已停止。");
        }
        catch (MemoryLimitExceededException)
        {
            throw new ScriptFaultException($"脚本占用内存超过 {MaxMemoryBytes / 1024 / 1024} MB，已停止。");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new ScriptFaultException($"脚本递归超过 {MaxRecursion} 层，已停止。");
        }
        catch (JavaScriptException ex)
        {
            throw new ScriptFaultException("脚本出错：" + ex.Message);
        }
        catch (Exception ex) when (ex is not ScriptFaultException and not OutOfMemoryException and not OperationCanceledException)
        {
            // Parse errors, range errors from the engine's own limits (array size), and anything else the script provoked.
            throw new ScriptFaultException("脚本无法执行：" + ex.Message);
        }
    }

    private static JsonNode? ToJson(Engine engine, JsValue value)
    {
        if (value.IsUndefined())
        {
            return null;
        }

        engine.SetValue("__result", value);
        var text = engine.Evaluate("JSON.stringify(__result)");
        return text.IsString() ? JsonNode.Parse(text.AsString()) : null;
    }

    /// <summary>JavaScript truthiness of a result (null, false, 0, "" are false).</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0 && !double.IsNaN(d),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };
}

public sealed class ScriptFaultException(string message) : Exception(message);
