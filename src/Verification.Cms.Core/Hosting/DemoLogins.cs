using System.Text;
using Verification.Cms.Recipes;

namespace Verification.Cms.Hosting;

/// <summary>
/// Demo logins generated at setup: printed on the console and kept in App_Data/demo-logins.txt
/// (owner-readable only, outside the repository) so that a restart prints them again.
/// </summary>
public sealed class DemoLogins(CmsPaths paths)
{
    private string File => Path.Combine(paths.AppData, "demo-logins.txt");

    public void Append(IEnumerable<GeneratedLogin> logins)
    {
        var lines = logins.Select(l => $"{l.Tenant}\t{l.Url}\t{l.UserName}\t{l.Password}").ToList();
        if (lines.Count == 0)
        {
            return;
        }

        System.IO.File.AppendAllLines(File, lines, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(File, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public string Describe()
    {
        if (!System.IO.File.Exists(File))
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        builder.AppendLine();
        builder.AppendLine("================ 演示账号 Demo logins (generated at setup; App_Data/demo-logins.txt) ================");
        foreach (var group in System.IO.File.ReadAllLines(File).Select(l => l.Split('\t')).Where(p => p.Length == 4).GroupBy(p => (p[0], p[1])))
        {
            builder.AppendLine($"[{group.Key.Item1}] {group.Key.Item2}");
            foreach (var p in group)
            {
                builder.AppendLine($"    {p[2],-18} {p[3]}");
            }
        }

        builder.AppendLine("=====================================================================================================");
        return builder.ToString();
    }
}
