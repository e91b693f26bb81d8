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

    /// <summary>Characters one string operation may produce (repeat, padStart, padEnd, join).</summary>
    public const int MaxStringLength = 1_000_000;

    // Jint checks its memory limit between statements; one 'x'.repeat(268435456) allocated 512 MB inside a
    // single call. These operations are wrapped so they check the size they would produce before producing it.
    private static readonly Prepared<Acornima.Ast.Script> Prelude = Engine.PrepareScript($$"""
        (function (lengthOf) {
          'use strict';
          const limit = {{MaxStringLength}};
          const check = function (n) { if (n > limit) { throw new RangeError('字符串长度超过 ' + limit + ' 个字符'); } };
          const repeat = String.prototype.repeat, padStart = String.prototype.padStart, padEnd = String.prototype.padEnd, join = Array.prototype.join;
          const define = function (target, name, fn) { Object.defineProperty(target, name, { value: fn, writable: false, enumerable: false, configurable: false }); };
          define(String.prototype, 'repeat', function (count) { check(String(this).length * Number(count)); return repeat.call(this, count); });
          define(String.prototype, 'padStart', function (n, s) { check(Number(n)); return padStart.call(this, n, s); });
          define(String.prototype, 'padEnd', function (n, s) { check(Number(n)); return padEnd.call(this, n, s); });
          define(Array.prototype, 'join', function (separator) { check(lengthOf(this, separator === undefined ? ',' : String(separator))); return join.call(this, separator); });
        })(__vcmsJoinedLength);
        """);

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
            engine.SetValue("__vcmsJoinedLength", new Jint.Runtime.Interop.ClrFunction(engine, "joinedLength", JoinedLength));
            engine.Execute(Prelude);
            engine.SetValue("__vcmsJoinedLength", JsValue.Undefined);
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

    /// <summary>The length a join would produce, counted without producing it (strings by length, anything else as at most 32).</summary>
    private static JsValue JoinedLength(JsValue thisObject, JsValue[] arguments)
    {
        if (arguments.Length < 2 || arguments[0] is not Jint.Native.Object.ObjectInstance array)
        {
            return 0;
        }

        var count = (long)Math.Min(TypeConverter.ToNumber(array.Get("length")), MaxArraySize + 1d);
        long total = Math.Max(0, count - 1) * arguments[1].AsString().Length;
        for (uint i = 0; i < count && total <= MaxStringLength; i++)
        {
            var element = array.Get(i);
            total += element.IsString() ? element.AsString().Length : element.IsNull() || element.IsUndefined() ? 0 : 32;
        }

        return total;
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
