using System.Security.Cryptography;
using System.Text;

namespace Verification.Cms.Backups;

/// <summary>
/// The installation's backup key (32 random bytes in a file kept apart from the backups, mode 0600). From it:
/// the AES-GCM key of the chunks, the key that names chunks (an HMAC, so a name reveals nothing of the
/// content) and the key that signs manifests. Lose it and the backups cannot be read: keep a copy offline.
/// </summary>
public sealed class BackupKey
{
    private BackupKey(byte[] master)
    {
        Encryption = Derive(master, "chunk-encryption");
        Naming = Derive(master, "chunk-naming");
        Signing = Derive(master, "manifest-signing");
    }

    internal byte[] Encryption { get; }

    internal byte[] Naming { get; }

    internal byte[] Signing { get; }

    public static BackupKey LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(file))
            {
                // Made meanwhile by another process: use that one.
            }
        }

        return new BackupKey(Convert.FromBase64String(File.ReadAllText(file).Trim()));
    }

    private static byte[] Derive(byte[] master, string purpose) => HMACSHA256.HashData(master, Encoding.ASCII.GetBytes("vcms-backup|" + purpose));
}
