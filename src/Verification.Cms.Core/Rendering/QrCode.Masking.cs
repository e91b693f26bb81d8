namespace Verification.Cms.Rendering;

/// <summary>The mask: each of the eight is scored by the standard's penalties and the lowest applied.</summary>
public sealed partial class QrCode
{
    /// <summary>
    /// Applies the mask of lowest penalty with its format bits. Penalties are computed on bit-packed rows and
    /// columns, 64 modules at a time: a mask's inversions and format bits are one XOR overlay per version
    /// (<see cref="MaskOverlays"/>). Scored module by module, with branches on what is random data, the eight
    /// trials took ~0.45 ms a code.
    /// </summary>
    private void ChooseMask()
    {
        var overlays = MaskOverlays.For(Version);
        var rows = new Bits192[Size];
        var columns = new Bits192[Size];
        for (var i = 0; i < Size; i++)
        {
            rows[i] = Bits192.Pack(_dark, i * Size, 1, Size, MaskOverlays.Border);
            columns[i] = Bits192.Pack(_dark, i, Size, Size, MaskOverlays.Border);
        }

        var best = 0;
        var lowest = int.MaxValue;
        for (var mask = 0; mask < 8; mask++)
        {
            var penalty = 0;
            var darkCount = 0;
            Bits192 previous = default, previousPairs = default;
            for (var y = 0; y < Size; y++)
            {
                var line = rows[y] ^ overlays.Rows[mask][y];
                penalty += LinePenalty(line, overlays.Pairs, out var pairs);
                darkCount += line.PopCount();
                if (y > 0)
                {
                    // 2×2 blocks of one colour: equal to the right in both rows, and equal between the rows.
                    penalty += 3 * (pairs & previousPairs & ~(line ^ previous)).PopCount();
                }

                (previous, previousPairs) = (line, pairs);
            }

            for (var x = 0; x < Size; x++)
            {
                penalty += LinePenalty(columns[x] ^ overlays.Columns[mask][x], overlays.Pairs, out _);
            }

            var total = Size * Size;
            penalty += ((Math.Abs(darkCount * 20 - total * 10) + total - 1) / total - 1) * 10;
            if (penalty < lowest)
            {
                (best, lowest) = (mask, penalty);
            }
        }

        Mask = best;
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                _dark[y * Size + x] ^= (byte)overlays.Rows[best][y].Get(x + MaskOverlays.Border);
            }
        }
    }

    /// <summary>
    /// A row's or column's penalties of runs (five or more of a colour: 3, plus 1 for each beyond five) and of
    /// finder-like patterns (dark-light-dark×3-light-dark with four light modules before or after: 40 — at
    /// module scale, as ZXing counts them); <paramref name="pairs"/> marks each module equal to the next.
    /// </summary>
    private static int LinePenalty(Bits192 line, Bits192 validPairs, out Bits192 pairs)
    {
        pairs = ~(line ^ (line >> 1)) & validPairs;
        var five = pairs & (pairs >> 1) & (pairs >> 2) & (pairs >> 3);
        var runStarts = five & ~(five << 1);
        var penalty = five.PopCount() + 2 * runStarts.PopCount();
        var finder = line & ~(line >> 1) & (line >> 2) & (line >> 3) & (line >> 4) & ~(line >> 5) & (line >> 6);
        var lightBefore = ~((line << 1) | (line << 2) | (line << 3) | (line << 4));
        var lightAfter = ~((line >> 7) | (line >> 8) | (line >> 9) | (line >> 10));
        return penalty + 40 * (finder & (lightBefore | lightAfter)).PopCount();
    }

    /// <summary>Whether mask <paramref name="mask"/> inverts the module at (x, y).</summary>
    private static bool Inverts(int mask, int x, int y) => mask switch
    {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (x / 3 + y / 2) % 2 == 0,
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3) % 2 == 0,
        _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
    };

    /// <summary>
    /// Per version and mask, the modules that change when the mask is applied to a code drawn with mask 0's
    /// format bits: the data modules it inverts and the format bits that differ. Rows and columns, bit-packed
    /// from <see cref="Border"/> on (the light modules around the symbol are the zero bits on either side).
    /// </summary>
    private sealed class MaskOverlays
    {
        public const int Border = 4;
        private static readonly MaskOverlays?[] ByVersion = new MaskOverlays[41];

        private MaskOverlays(int version)
        {
            var blank = new QrCode(version);
            blank.DrawFunctionPatterns();
            int size = blank.Size;
            Rows = new Bits192[8][];
            Columns = new Bits192[8][];
            for (var mask = 0; mask < 8; mask++)
            {
                var formatted = new QrCode(version);
                formatted.DrawFunctionPatterns();
                formatted.DrawFormatBits(mask);
                Rows[mask] = new Bits192[size];
                Columns[mask] = new Bits192[size];
                for (var y = 0; y < size; y++)
                {
                    for (var x = 0; x < size; x++)
                    {
                        var index = y * size + x;
                        var changes = blank._function[index] == 0 ? Inverts(mask, x, y) : blank._dark[index] != formatted._dark[index];
                        var bit = changes ? 1UL : 0;
                        Rows[mask][y] = Rows[mask][y].Set(x + Border, bit);
                        Columns[mask][x] = Columns[mask][x].Set(y + Border, bit);
                    }
                }
            }

            for (var i = Border; i < Border + size - 1; i++)
            {
                Pairs = Pairs.Set(i, 1);
            }
        }

        public Bits192[][] Rows { get; }

        public Bits192[][] Columns { get; }

        /// <summary>Positions whose module and the next are both in the symbol.</summary>
        public Bits192 Pairs { get; }

        // Two threads may both build a version's overlays: equal either way.
        public static MaskOverlays For(int version) => ByVersion[version] ??= new MaskOverlays(version);
    }

    /// <summary>A row or column of up to 177 modules and its light border, as bits (bit i of x &gt;&gt; k is bit i + k of x).</summary>
    private readonly record struct Bits192(ulong A, ulong B, ulong C)
    {
        public Bits192 Set(int index, ulong bit) => (index >> 6) switch
        {
            0 => this with { A = A | bit << index },
            1 => this with { B = B | bit << (index & 63) },
            _ => this with { C = C | bit << (index & 63) },
        };

        /// <summary>Modules (0 or 1) at start, start + stride, … as bits from <paramref name="offset"/> on.</summary>
        public static Bits192 Pack(byte[] modules, int start, int stride, int count, int offset)
        {
            ulong a = 0, b = 0, c = 0;
            for (var i = 0; i < count; i++)
            {
                var bit = (ulong)modules[start + i * stride];
                var position = i + offset;
                if (position < 64)
                {
                    a |= bit << position;
                }
                else if (position < 128)
                {
                    b |= bit << (position - 64);
                }
                else
                {
                    c |= bit << (position - 128);
                }
            }

            return new(a, b, c);
        }

        public int Get(int index) => (int)(((index >> 6) switch { 0 => A, 1 => B, _ => C } >> (index & 63)) & 1);

        public int PopCount() => System.Numerics.BitOperations.PopCount(A) + System.Numerics.BitOperations.PopCount(B) + System.Numerics.BitOperations.PopCount(C);

        public static Bits192 operator &(Bits192 x, Bits192 y) => new(x.A & y.A, x.B & y.B, x.C & y.C);

        public static Bits192 operator |(Bits192 x, Bits192 y) => new(x.A | y.A, x.B | y.B, x.C | y.C);

        public static Bits192 operator ^(Bits192 x, Bits192 y) => new(x.A ^ y.A, x.B ^ y.B, x.C ^ y.C);

        public static Bits192 operator ~(Bits192 x) => new(~x.A, ~x.B, ~x.C);

        /// <remarks>For 0 &lt; k &lt; 64.</remarks>
        public static Bits192 operator >>(Bits192 x, int k) => new(x.A >> k | x.B << (64 - k), x.B >> k | x.C << (64 - k), x.C >> k);

        /// <remarks>For 0 &lt; k &lt; 64.</remarks>
        public static Bits192 operator <<(Bits192 x, int k) => new(x.A << k, x.B << k | x.A >> (64 - k), x.C << k | x.B >> (64 - k));
    }
}
