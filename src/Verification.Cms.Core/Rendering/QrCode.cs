using System.Globalization;
using System.Text;

namespace Verification.Cms.Rendering;

/// <summary>
/// A QR code (ISO/IEC 18004) of a text in byte mode (UTF-8) at error correction level M, the smallest
/// version that holds it, with the mask of lowest penalty; drawn as one SVG path. Written for report
/// issuing: QRCoder took ~0.5–1 ms a code (11 s of CPU for the 10,000 reports of a yearly batch), this
/// takes a small fraction of that — every step works on flat arrays. Follows the structure of Project
/// Nayuki's reference encoder (MIT).
/// </summary>
public sealed partial class QrCode
{
    // Level M, versions 1–40 (index 0 unused): error correction codewords per block and number of blocks.
    private static readonly byte[] EccPerBlock =
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];

    private static readonly byte[] Blocks =
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];

    private const int FormatBitsM = 0;
    private static readonly byte[] Exp = new byte[512];
    private static readonly byte[] Log = new byte[256];

    // One byte a module (0 or 1): packing them into bits is branch-free.
    private readonly byte[] _dark;
    private readonly byte[] _function;

    static QrCode()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = (byte)i;
            x <<= 1;
            if (x >= 0x100)
            {
                x ^= 0x11D;
            }
        }

        for (var i = 255; i < 512; i++)
        {
            Exp[i] = Exp[i - 255];
        }
    }

    private QrCode(int version)
    {
        Version = version;
        Size = version * 4 + 17;
        _dark = new byte[Size * Size];
        _function = new byte[Size * Size];
    }

    public int Version { get; }

    /// <summary>Modules per side, without the quiet zone.</summary>
    public int Size { get; }

    public int Mask { get; private set; }

    public bool IsDark(int x, int y) => _dark[y * Size + x] != 0;

    public static QrCode Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var version = 1;
        while (4 + (version <= 9 ? 8 : 16) + bytes.Length * 8 > DataCapacity(version) * 8)
        {
            if (++version > 40)
            {
                throw new ArgumentException("The text is too long for a QR code.", nameof(text));
            }
        }

        var qr = new QrCode(version);
        qr.DrawFunctionPatterns();
        qr.DrawCodewords(AddEccAndInterleave(version, DataCodewords(version, bytes)));
        qr.ChooseMask();
        return qr;
    }

    /// <summary>
    /// The code as SVG: per row of modules a 1-unit-wide stroke per run of dark modules, in relative moves
    /// (4 px a module, a 4-module quiet zone) — a third of the text of one square per module.
    /// </summary>
    public static string Svg(string text)
    {
        var qr = Encode(text);
        const int Quiet = 4;
        var size = qr.Size + 2 * Quiet;
        var path = new StringBuilder(size * size / 2);
        for (var y = 0; y < qr.Size; y++)
        {
            var pen = 0;
            for (var x = 0; x < qr.Size;)
            {
                if (!qr.IsDark(x, y))
                {
                    x++;
                    continue;
                }

                var start = x;
                while (x < qr.Size && qr.IsDark(x, y))
                {
                    x++;
                }

                // The stroke runs along the middle of the row: a row's first move is absolute, at y + 0.5.
                if (pen > 0)
                {
                    path.Append(CultureInfo.InvariantCulture, $"m{start - pen} 0h{x - start}");
                }
                else
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{start + Quiet} {y + Quiet}.5h{x - start}");
                }

                pen = x;
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{size * 4}\" height=\"{size * 4}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" stroke-width=\"1\" d=\"{path}\"/></svg>");
    }

    private static int RawDataModules(int version)
    {
        var result = (16 * version + 128) * version + 64;
        if (version >= 2)
        {
            var alignments = version / 7 + 2;
            result -= (25 * alignments - 10) * alignments - 55;
            if (version >= 7)
            {
                result -= 36;
            }
        }

        return result;
    }

    /// <summary>Data codewords a version holds at level M (its codewords less the error correction's).</summary>
    private static int DataCapacity(int version) => RawDataModules(version) / 8 - EccPerBlock[version] * Blocks[version];

    /// <summary>Mode (byte), character count, the bytes, terminator, and the pad codewords 0xEC 0x11.</summary>
    private static byte[] DataCodewords(int version, byte[] bytes)
    {
        var capacity = DataCapacity(version);
        var data = new byte[capacity];
        var bit = 0;
        void Append(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--, bit++)
            {
                data[bit >> 3] |= (byte)(((value >> i) & 1) << (7 - (bit & 7)));
            }
        }

        Append(0b0100, 4);
        Append(bytes.Length, version <= 9 ? 8 : 16);
        foreach (var b in bytes)
        {
            Append(b, 8);
        }

        // The terminator (up to four zero bits) and the padding to a whole byte are zeros already there.
        for (int i = (Math.Min(bit + 4, capacity * 8) + 7) >> 3, pad = 0xEC; i < capacity; i++, pad ^= 0xEC ^ 0x11)
        {
            data[i] = (byte)pad;
        }

        return data;
    }

    private static byte[] AddEccAndInterleave(int version, byte[] data)
    {
        int blocks = Blocks[version], eccLength = EccPerBlock[version], raw = RawDataModules(version) / 8;
        var shortBlocks = blocks - raw % blocks;
        var shortLength = raw / blocks;
        var divisor = Divisor(eccLength);
        var result = new byte[raw];
        var ecc = new byte[eccLength];
        var offset = 0;
        for (var i = 0; i < blocks; i++)
        {
            var dataLength = shortLength - eccLength + (i < shortBlocks ? 0 : 1);
            var block = data.AsSpan(offset, dataLength);
            offset += dataLength;
            Remainder(block, divisor, ecc);
            // Interleaved: data codewords column by column (short blocks have no last one), then the ECC columns.
            for (var j = 0; j < dataLength; j++)
            {
                result[j < shortLength - eccLength ? j * blocks + i : (shortLength - eccLength) * blocks + i - shortBlocks] = block[j];
            }

            var eccStart = raw - eccLength * blocks;
            for (var j = 0; j < eccLength; j++)
            {
                result[eccStart + j * blocks + i] = ecc[j];
            }
        }

        return result;
    }

    private static byte Multiply(int x, int y) => x == 0 || y == 0 ? (byte)0 : Exp[Log[x] + Log[y]];

    private static byte[] Divisor(int degree)
    {
        var result = new byte[degree];
        result[degree - 1] = 1;
        var root = 1;
        for (var i = 0; i < degree; i++)
        {
            for (var j = 0; j < degree; j++)
            {
                result[j] = Multiply(result[j], root);
                if (j + 1 < degree)
                {
                    result[j] ^= result[j + 1];
                }
            }

            root = Multiply(root, 2);
        }

        return result;
    }

    private static void Remainder(ReadOnlySpan<byte> data, byte[] divisor, byte[] result)
    {
        Array.Clear(result);
        foreach (var b in data)
        {
            var factor = b ^ result[0];
            Array.Copy(result, 1, result, 0, result.Length - 1);
            result[^1] = 0;
            if (factor != 0)
            {
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] ^= Multiply(divisor[i], factor);
                }
            }
        }
    }

    private void SetFunction(int x, int y, bool dark)
    {
        _dark[y * Size + x] = dark ? (byte)1 : (byte)0;
        _function[y * Size + x] = 1;
    }

    private void DrawFunctionPatterns()
    {
        for (var i = 0; i < Size; i++)
        {
            SetFunction(6, i, i % 2 == 0);
            SetFunction(i, 6, i % 2 == 0);
        }

        DrawFinder(3, 3);
        DrawFinder(Size - 4, 3);
        DrawFinder(3, Size - 4);
        var positions = AlignmentPositions();
        for (var i = 0; i < positions.Length; i++)
        {
            for (var j = 0; j < positions.Length; j++)
            {
                // Not over the finder patterns.
                if (!(i == 0 && j == 0 || i == 0 && j == positions.Length - 1 || i == positions.Length - 1 && j == 0))
                {
                    for (var dy = -2; dy <= 2; dy++)
                    {
                        for (var dx = -2; dx <= 2; dx++)
                        {
                            SetFunction(positions[i] + dx, positions[j] + dy, Math.Max(Math.Abs(dx), Math.Abs(dy)) != 1);
                        }
                    }
                }
            }
        }

        DrawFormatBits(0); // reserved now, written with the chosen mask
        DrawVersion();
    }

    private void DrawFinder(int x, int y)
    {
        for (var dy = -4; dy <= 4; dy++)
        {
            for (var dx = -4; dx <= 4; dx++)
            {
                var distance = Math.Max(Math.Abs(dx), Math.Abs(dy));
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && xx < Size && yy >= 0 && yy < Size)
                {
                    SetFunction(xx, yy, distance != 2 && distance != 4);
                }
            }
        }
    }

    private int[] AlignmentPositions()
    {
        if (Version == 1)
        {
            return [];
        }

        var count = Version / 7 + 2;
        var step = (Version * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
        var result = new int[count];
        result[0] = 6;
        for (int i = count - 1, position = Size - 7; i >= 1; i--, position -= step)
        {
            result[i] = position;
        }

        return result;
    }

    private void DrawFormatBits(int mask)
    {
        var data = FormatBitsM << 3 | mask;
        var remainder = data;
        for (var i = 0; i < 10; i++)
        {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
        }

        var bits = (data << 10 | remainder) ^ 0x5412;
        for (var i = 0; i <= 5; i++)
        {
            SetFunction(8, i, Bit(bits, i));
        }

        SetFunction(8, 7, Bit(bits, 6));
        SetFunction(8, 8, Bit(bits, 7));
        SetFunction(7, 8, Bit(bits, 8));
        for (var i = 9; i < 15; i++)
        {
            SetFunction(14 - i, 8, Bit(bits, i));
        }

        for (var i = 0; i < 8; i++)
        {
            SetFunction(Size - 1 - i, 8, Bit(bits, i));
        }

        for (var i = 8; i < 15; i++)
        {
            SetFunction(8, Size - 15 + i, Bit(bits, i));
        }

        SetFunction(8, Size - 8, true);
    }

    private void DrawVersion()
    {
        if (Version < 7)
        {
            return;
        }

        var remainder = Version;
        for (var i = 0; i < 12; i++)
        {
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
        }

        var bits = Version << 12 | remainder;
        for (var i = 0; i < 18; i++)
        {
            var dark = Bit(bits, i);
            int a = Size - 11 + i % 3, b = i / 3;
            SetFunction(a, b, dark);
            SetFunction(b, a, dark);
        }
    }

    private void DrawCodewords(byte[] codewords)
    {
        var bit = 0;
        for (var right = Size - 1; right >= 1; right -= 2)
        {
            if (right == 6)
            {
                right = 5;
            }

            var upward = ((right + 1) & 2) == 0;
            for (var vertical = 0; vertical < Size; vertical++)
            {
                var y = upward ? Size - 1 - vertical : vertical;
                for (var j = 0; j < 2; j++)
                {
                    var index = y * Size + right - j;
                    if (_function[index] == 0 && bit < codewords.Length * 8)
                    {
                        _dark[index] = (byte)((codewords[bit >> 3] >> (7 - (bit & 7))) & 1);
                        bit++;
                    }
                }
            }
        }
    }

    private static bool Bit(int value, int index) => ((value >> index) & 1) != 0;
}
