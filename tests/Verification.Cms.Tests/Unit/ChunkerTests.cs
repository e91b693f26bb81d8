using Verification.Cms.Backups;

namespace Verification.Cms.Tests.Unit;

/// <summary>Content-defined chunks: an insertion moves the content behind it, yet the chunks after it stay the same, so a daily backup stores little.</summary>
public sealed class ChunkerTests
{
    [Fact]
    [Trait("Req", "R-18.3")]
    public async Task AnInsertionChangesOnlyTheChunksAroundIt()
    {
        var random = new Random(7);
        var data = new byte[4 * 1024 * 1024];
        random.NextBytes(data);
        var edited = data[..1_000_000].Concat(new byte[] { 1, 2, 3, 4, 5 }).Concat(data[1_000_000..]).ToArray();

        var before = await ChunksAsync(data);
        var after = await ChunksAsync(edited);
        Assert.Equal(data, before.SelectMany(c => c).ToArray());
        Assert.All(before, c => Assert.InRange(c.Length, 1, Chunker.Max));
        var shared = after.Select(Convert.ToHexString).Intersect(before.Select(Convert.ToHexString)).Count();
        Assert.True(shared >= before.Count - 3, $"{shared} of {before.Count} chunks unchanged");
    }

    private static async Task<List<byte[]>> ChunksAsync(byte[] data)
    {
        var chunks = new List<byte[]>();
        await foreach (var chunk in Chunker.SplitAsync(new MemoryStream(data), default))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }
}
