using System.Security.Cryptography;

namespace Verification.Cms.Backups;

/// <summary>
/// Content-defined chunking (a Gear rolling hash): the same content cuts at the same places wherever it
/// moves in a file, so a daily backup stores only the chunks that changed since the month's full backup —
/// for a SQLite file as for a PostgreSQL dump. Chunks are 16–256 KiB, 64 KiB on average.
/// </summary>
internal static class Chunker
{
    public const int Min = 16 * 1024;
    public const int Max = 256 * 1024;
    private const ulong Mask = (1UL << 16) - 1;

    // A fixed table (the same in every process and version): derived, not random.
    private static readonly ulong[] Gear = Enumerable.Range(0, 256)
        .Select(i => BitConverter.ToUInt64(SHA256.HashData(BitConverter.GetBytes(i)), 0))
        .ToArray();

    public static async IAsyncEnumerable<byte[]> SplitAsync(Stream input, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[Max * 2];
        var filled = 0;
        var end = false;
        while (true)
        {
            while (!end && filled < buffer.Length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                end = read == 0;
                filled += read;
            }

            if (filled == 0)
            {
                yield break;
            }

            var cut = Cut(buffer.AsSpan(0, filled));
            yield return buffer[..cut];
            Buffer.BlockCopy(buffer, cut, buffer, 0, filled - cut);
            filled -= cut;
        }
    }

    private static int Cut(ReadOnlySpan<byte> data)
    {
        if (data.Length <= Min)
        {
            return data.Length;
        }

        ulong hash = 0;
        var end = Math.Min(data.Length, Max);
        for (var i = Min; i < end; i++)
        {
            hash = (hash << 1) + Gear[data[i]];
            if ((hash & Mask) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }
}
