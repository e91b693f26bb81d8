using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Verification.Cms.Backups;

/// <summary>
/// Chunks of one backup generation: each compressed, then sealed with AES-256-GCM (its name as associated
/// data, so a chunk cannot be swapped for another), stored once under its keyed name.
/// </summary>
internal sealed class ChunkStore(string folder, BackupKey key)
{
    public string Name(byte[] plain) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Naming, plain));

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Stores the chunk unless present; returns the bytes written (0 when it was there already).</summary>
    public long Put(string name, byte[] plain)
    {
        var path = PathOf(name);
        if (File.Exists(path))
        {
            return 0;
        }

        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(plain);
        }

        var clear = compressed.ToArray();
        var sealedChunk = new byte[12 + clear.Length + 16];
        var nonce = sealedChunk.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Encryption, 16))
        {
            aes.Encrypt(nonce, clear, sealedChunk.AsSpan(12, clear.Length), sealedChunk.AsSpan(12 + clear.Length), Encoding.ASCII.GetBytes(name));
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, sealedChunk);
        File.Move(temporary, path, overwrite: true);
        return sealedChunk.Length;
    }

    /// <summary>The chunk's content, checked against its name; throws <see cref="InvalidDataException"/> when missing or altered.</summary>
    public byte[] Get(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Chunk {name} is missing.");
        }

        var sealedChunk = File.ReadAllBytes(path);
        var clear = new byte[sealedChunk.Length - 28];
        try
        {
            using var aes = new AesGcm(key.Encryption, 16);
            aes.Decrypt(sealedChunk.AsSpan(0, 12), sealedChunk.AsSpan(12, clear.Length), sealedChunk.AsSpan(12 + clear.Length), clear, Encoding.ASCII.GetBytes(name));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new InvalidDataException($"Chunk {name} does not decrypt: altered, or sealed with another key.", ex);
        }

        using var output = new MemoryStream();
        using (var inflate = new DeflateStream(new MemoryStream(clear), CompressionMode.Decompress))
        {
            inflate.CopyTo(output);
        }

        var plain = output.ToArray();
        return Name(plain) == name ? plain : throw new InvalidDataException($"Chunk {name} does not match its name.");
    }

    private string PathOf(string name) => Path.Combine(folder, "chunks", name[..2], name);
}
