namespace Verification.Forms.Expressions;

/// <summary>The parsed form of an expression.</summary>
public abstract record Node(int Position);

public sealed record LiteralNode(object? Value, int Position) : Node(Position);

public sealed record FieldNode(string Name, int Position) : Node(Position);

public sealed record MemberNode(Node Target, string Name, int Position) : Node(Position);

public sealed record UnaryNode(string Operator, Node Operand, int Position) : Node(Position);

public sealed record BinaryNode(string Operator, Node Left, Node Right, int Position) : Node(Position);

public sealed record ConditionalNode(Node Condition, Node WhenTrue, Node WhenFalse, int Position) : Node(Position);

public sealed record CallNode(string Function, IReadOnlyList<Node> Arguments, int Position) : Node(Position);

/// <summary>Recursive-descent parser of docs/expressions.md; bounded length and depth.</summary>
public sealed class ExpressionParser
{
    public const int MaxLength = 4000;
    public const int MaxDepth = 64;
    private static readonly string[] Operators = ["||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", ",", ".", "?", ":"];

    private readonly string _text;
    private readonly List<(string Kind, string Value, int Position)> _tokens = [];
    private int _index;
    private int _depth = -1;

    private ExpressionParser(string text) => _text = text;

    public static Node Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new ExpressionException(ExpressionException.Limit, $"The expression is longer than {MaxLength} characters.");
        }

        var parser = new ExpressionParser(text);
        parser.Tokenize();
        if (parser._tokens.Count == 0)
        {
            throw new ExpressionException(ExpressionException.Syntax, "The expression is empty.", 0);
        }

        var node = parser.Conditional();
        if (parser._index < parser._tokens.Count)
        {
            var t = parser._tokens[parser._index];
            throw new ExpressionException(ExpressionException.Syntax, $"Unexpected '{t.Value}'.", t.Position);
        }

        return node;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\u3000';

    private void Tokenize()
    {
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (IsSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                {
                    i++;
                }

                if (i < _text.Length && _text[i] == '.')
                {
                    i++;
                    if (i >= _text.Length || !char.IsAsciiDigit(_text[i]))
                    {
                        throw new ExpressionException(ExpressionException.Syntax, "A number needs digits after its decimal point.", i);
                    }

                    while (i < _text.Length && char.IsAsciiDigit(_text[i]))
                    {
                        i++;
                    }
                }

                _tokens.Add(("number", _text[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                var start = i++;
                var value = new System.Text.StringBuilder();
                while (true)
                {
                    if (i >= _text.Length)
                    {
                        throw new ExpressionException(ExpressionException.Syntax, "The string is not closed.", start);
                    }

                    var d = _text[i++];
                    if (d == c)
                    {
                        break;
                    }

                    if (d == '\\')
                    {
                        if (i >= _text.Length)
                        {
                            throw new ExpressionException(ExpressionException.Syntax, "The string is not closed.", start);
                        }

                        var e = _text[i++];
                        value.Append(e switch
                        {
                            '\\' => '\\',
                            '\'' => '\'',
                            '"' => '"',
                            'n' => '\n',
                            't' => '\t',
                            _ => throw new ExpressionException(ExpressionException.Syntax, $"Unknown escape '\\{e}'.", i - 2),
                        });
                    }
                    else
                    {
                        value.Append(d);
                    }
                }

                _tokens.Add(("string", value.ToString(), start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }

                _tokens.Add(("ident", _text[start..i], start));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(_text, i, o, 0, o.Length) == 0)
                    ?? throw new ExpressionException(ExpressionException.Syntax, $"Unexpected character '{c}'.", i);
                _tokens.Add(("op", op, i));
                i += op.Length;
            }
        }
    }

    private (string Kind, string Value, int Position)? Peek => _index < _tokens.Count ? _tokens[_index] : null;

    private bool TryOp(string op)
    {
        if (Peek is { Kind: "op" } t && t.Value == op)
        {
            _index++;
            return true;
        }

        return false;
    }

    private void Expect(string op)
    {
        if (!TryOp(op))
        {
            throw new ExpressionException(ExpressionException.Syntax, $"Expected '{op}'.", Peek?.Position ?? _text.Length);
        }
    }

    private Node Conditional()
    {
        Enter();
        var condition = Binary(0);
        if (Peek is { Kind: "op", Value: "?" } q)
        {
            _index++;
            var whenTrue = Conditional();
            Expect(":");
            var whenFalse = Conditional();
            condition = new ConditionalNode(condition, whenTrue, whenFalse, q.Position);
        }

        _depth--;
        return condition;
    }

    private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];

    private Node Binary(int level)
    {
        if (level == Levels.Length)
        {
            return Unary();
        }

        var left = Binary(level + 1);
        while (Peek is { Kind: "op" } t && Levels[level].Contains(t.Value))
        {
            _index++;
            left = new BinaryNode(t.Value, left, Binary(level + 1), t.Position);
        }

        return left;
    }

    private Node Unary()
    {
        if (Peek is { Kind: "op", Value: "!" or "-" } t)
        {
            _index++;
            Enter();
            var operand = Unary();
            _depth--;
            return new UnaryNode(t.Value, operand, t.Position);
        }

        return Postfix();
    }

    private Node Postfix()
    {
        var node = Primary();
        while (Peek is { Kind: "op", Value: "." } dot)
        {
            _index++;
            if (Peek is not { Kind: "ident" } name)
            {
                throw new ExpressionException(ExpressionException.Syntax, "Expected a field name after '.'.", dot.Position + 1);
            }

            _index++;
            node = new MemberNode(node, name.Value, name.Position);
        }

        return node;
    }

    private Node Primary()
    {
        var t = Peek ?? throw new ExpressionException(ExpressionException.Syntax, "The expression ends too early.", _text.Length);
        _index++;
        switch (t.Kind)
        {
            case "number":
                return new LiteralNode(Num.Parse(t.Value), t.Position);
            case "string":
                return new LiteralNode(t.Value, t.Position);
            case "ident" when t.Value == "true":
                return new LiteralNode(true, t.Position);
            case "ident" when t.Value == "false":
                return new LiteralNode(false, t.Position);
            case "ident" when t.Value == "null":
                return new LiteralNode(null, t.Position);
            case "ident" when Peek is { Kind: "op", Value: "(" }:
                _index++;
                var arguments = new List<Node>();
                if (!TryOp(")"))
                {
                    do
                    {
                        arguments.Add(Conditional());
                    }
                    while (TryOp(","));
                    Expect(")");
                }

                return new CallNode(t.Value, arguments, t.Position);
            case "ident":
                return new FieldNode(t.Value, t.Position);
            case "op" when t.Value == "(":
                var inner = Conditional();
                Expect(")");
                return inner;
            default:
                throw new ExpressionException(ExpressionException.Syntax, $"Unexpected '{t.Value}'.", t.Position);
        }
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw new ExpressionException(ExpressionException.Limit, $"The expression nests deeper than {MaxDepth}.");
        }
    }
}
