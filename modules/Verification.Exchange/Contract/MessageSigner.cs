using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Verification.Exchange.Contract;

/// <summary>
/// ECDSA P-256 / SHA-256 signatures over the message's canonical JSON (the message serialized
/// without its signature, with the contract's fixed options). Each provider and each platform
/// tenant has its own key; public keys are exchanged as SubjectPublicKeyInfo PEM.
/// </summary>
public static class MessageSigner
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static QueryRequest Sign(QueryRequest request, ECDsa key) => request with { Signature = SignBytes(Canonical(request with { Signature = null }), key) };

    public static QueryResult Sign(QueryResult result, ECDsa key) => result with { Signature = SignBytes(Canonical(result with { Signature = null }), key) };

    public static bool Verify(QueryRequest request, string publicKeyPem) => VerifyBytes(Canonical(request with { Signature = null }), request.Signature, publicKeyPem);

    public static bool Verify(QueryResult result, string publicKeyPem) => VerifyBytes(Canonical(result with { Signature = null }), result.Signature, publicKeyPem);

    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string PublicKeyPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    private static byte[] Canonical<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Json);

    private static string SignBytes(byte[] data, ECDsa key) => Convert.ToBase64String(key.SignData(data, HashAlgorithmName.SHA256));

    private static bool VerifyBytes(byte[] data, string? signature, string publicKeyPem)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var written))
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return key.VerifyData(data, bytes.AsSpan(0, written), HashAlgorithmName.SHA256);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static string Fingerprint(string publicKeyPem) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(publicKeyPem.Trim())))[..16];
}
