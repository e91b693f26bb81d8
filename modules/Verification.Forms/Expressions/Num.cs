using System.Globalization;
using System.Numerics;

namespace Verification.Forms.Expressions;

/// <summary>
/// An exact decimal with 10 fractional digits, held as a scaled integer. The JavaScript engine
/// uses the same representation (BigInt) and the same rounding, so both give identical results.
/// </summary>
public readonly record struct Num(BigInteger Scaled)
{
    public const int Places = 10;
    public static readonly BigInteger Scale = BigInteger.Pow(10, Places);
    private static readonly BigInteger Max = BigInteger.Pow(10, 18) * Scale;

    public static Num Zero => new(BigInteger.Zero);

    public static Num FromInt(long value) => Checked(new BigInteger(value) * Scale);

    /// <summary>Parses decimal text, optionally with an exponent (JSON data); more than 10 places are rounded half away from zero.</summary>
    public static Num Parse(string text)
    {
        var s = text.Trim();
        var exponent = 0;
        var e = s.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? s : s[..dot] + s[(dot + 1)..];
        var fraction = (dot < 0 ? 0 : s.Length - dot - 1) - exponent;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw new ExpressionException(ExpressionException.Type, $"'{text}' is not a number.");
        }

        var value = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        value = fraction <= Places
            ? value * BigInteger.Pow(10, Places - fraction)
            : DivRound(value, BigInteger.Pow(10, fraction - Places));
        return Checked(negative ? -value : value);
    }

    public static Num operator +(Num a, Num b) => Checked(a.Scaled + b.Scaled);

    public static Num operator -(Num a, Num b) => Checked(a.Scaled - b.Scaled);

    public static Num operator -(Num a) => new(-a.Scaled);

    public static Num operator *(Num a, Num b) => Checked(DivRound(a.Scaled * b.Scaled, Scale));

    public static Num operator /(Num a, Num b) => b.Scaled.IsZero
        ? throw new ExpressionException(ExpressionException.DivisionByZero, "Division by zero.")
        : Checked(DivRound(a.Scaled * Scale, b.Scaled));

    public static Num operator %(Num a, Num b) => b.Scaled.IsZero
        ? throw new ExpressionException(ExpressionException.DivisionByZero, "Division by zero.")
        : new(a.Scaled % b.Scaled);

    public static bool operator <(Num a, Num b) => a.Scaled < b.Scaled;

    public static bool operator >(Num a, Num b) => a.Scaled > b.Scaled;

    public static bool operator <=(Num a, Num b) => a.Scaled <= b.Scaled;

    public static bool operator >=(Num a, Num b) => a.Scaled >= b.Scaled;

    public bool IsZero => Scaled.IsZero;

    public bool IsInteger => (Scaled % Scale).IsZero;

    public long ToInteger() => (long)(Scaled / Scale);

    public Num Round(int places) => new(DivRound(Scaled, BigInteger.Pow(10, Places - places)) * BigInteger.Pow(10, Places - places));

    public Num Floor()
    {
        var q = BigInteger.Divide(Scaled, Scale);
        if (Scaled.Sign < 0 && !(Scaled % Scale).IsZero)
        {
            q -= 1;
        }

        return new(q * Scale);
    }

    public Num Ceiling() => -(-this).Floor();

    public Num Abs() => new(BigInteger.Abs(Scaled));

    /// <summary>Canonical text: no exponent, no trailing fractional zeros, "-0" written "0".</summary>
    public override string ToString()
    {
        var abs = BigInteger.Abs(Scaled);
        var integer = BigInteger.Divide(abs, Scale).ToString(CultureInfo.InvariantCulture);
        var fraction = (abs % Scale).ToString(CultureInfo.InvariantCulture).PadLeft(Places, '0').TrimEnd('0');
        var sign = Scaled.Sign < 0 ? "-" : string.Empty;
        return fraction.Length == 0 ? sign + integer : $"{sign}{integer}.{fraction}";
    }

    /// <summary>a / b rounded to an integer, half away from zero.</summary>
    internal static BigInteger DivRound(BigInteger a, BigInteger b)
    {
        var quotient = BigInteger.DivRem(a, b, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= BigInteger.Abs(b))
        {
            quotient += a.Sign * b.Sign;
        }

        return quotient;
    }

    private static Num Checked(BigInteger scaled) => BigInteger.Abs(scaled) > Max
        ? throw new ExpressionException(ExpressionException.Overflow, "The number is too large.")
        : new Num(scaled);
}
