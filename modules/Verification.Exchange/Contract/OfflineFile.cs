using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Verification.Exchange.Contract;

/// <summary>
/// An offline batch file: a request or result message, encrypted with AES-256-GCM under the
/// key shared with that provider (the file header is authenticated as associated data) and signed
/// by its sender with ECDSA. A changed byte, another key or another signer makes it unreadable.
/// </summary>
public sealed record OfflineFile(string Format, string Kind, string Provider, string Sender, string MessageId, DateTimeOffset Timestamp, string Nonce, string Ciphertext, string Tag)
{
    public const string FormatName = "vcms-offline-1";
    public const string RequestKind = "request";
    public const string ResultKind = "result";

    public string? Signature { get; init; }

    public static byte[] Seal<T>(string kind, string provider, string sender, string messageId, T message, byte[] sharedKey, ECDsa signingKey, DateTimeOffset now)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(message, MessageSigner.Json);
        var nonce = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        var header = new OfflineFile(FormatName, kind, provider, sender, messageId, now, Convert.ToBase64String(nonce), string.Empty, string.Empty);
        using (var aes = new AesGcm(sharedKey, 16))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, header.AssociatedData());
        }

        var file = header with { Ciphertext = Convert.ToBase64String(ciphertext), Tag = Convert.ToBase64String(tag) };
        file = file with { Signature = Convert.ToBase64String(signingKey.SignData(file.SignedBytes(), HashAlgorithmName.SHA256)) };
        return JsonSerializer.SerializeToUtf8Bytes(file, MessageSigner.Json);
    }

    /// <summary>Reads a file: its header, checked signature and decrypted message; or the reason (an English localization key) it cannot be read.</summary>
    public static (OfflineFile? File, T? Message, string? Error) Open<T>(byte[] bytes, string expectedKind, Func<OfflineFile, (byte[]? SharedKey, string? SignerPem)> keys)
        where T : class
    {
        OfflineFile? file;
        try
        {
            file = JsonSerializer.Deserialize<OfflineFile>(bytes, MessageSigner.Json);
        }
        catch (JsonException)
        {
            file = null;
        }

        if (file is null || file.Format != FormatName || file.Kind != expectedKind || file.Signature is null)
        {
            return (null, null, "This is not an exchange file of the expected kind.");
        }

        var (sharedKey, signerPem) = keys(file);
        if (sharedKey is null || signerPem is null)
        {
            return (file, null, "There is no offline key for this provider; connect it first.");
        }

        try
        {
            using var signer = ECDsa.Create();
            signer.ImportFromPem(signerPem);
            if (!signer.VerifyData(file.SignedBytes(), Convert.FromBase64String(file.Signature), HashAlgorithmName.SHA256))
            {
                return (file, null, "The file's signature does not verify: it was changed or not signed by the provider.");
            }

            var ciphertext = Convert.FromBase64String(file.Ciphertext);
            var plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(sharedKey, 16);
            aes.Decrypt(Convert.FromBase64String(file.Nonce), ciphertext, Convert.FromBase64String(file.Tag), plaintext, file.AssociatedData());
            return (file, JsonSerializer.Deserialize<T>(plaintext, MessageSigner.Json), null);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException or ArgumentException)
        {
            return (file, null, "The file cannot be decrypted with this provider's key.");
        }
    }

    private byte[] AssociatedData() => Encoding.UTF8.GetBytes($"{Format}|{Kind}|{Provider}|{Sender}|{MessageId}|{Timestamp:O}");

    private byte[] SignedBytes() => JsonSerializer.SerializeToUtf8Bytes(this with { Signature = null }, MessageSigner.Json);
}
