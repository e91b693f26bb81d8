using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verification.Cms.Data;
using Verification.Cms.Organisation;
using Verification.Cms.Tenants;
using Verification.Cms.Users;
using Verification.Workflows.Models;

namespace Verification.Workflows.Services;

/// <summary>Sends e-mail. Pluggable: a deployment registers its own (SMTP relay, government mail gateway).</summary>
public interface IEmailSender
{
    Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken);
}

/// <summary>
/// The default sender: writes each message as an .eml file into the tenant's mail pickup folder
/// (App_Data/Sites/{tenant}/mail-pickup), which a relay (or an operator) can forward. Nothing is
/// lost when no relay is configured.
/// </summary>
public sealed class PickupFolderEmailSender(ITenantContext tenant, TimeProvider time) : IEmailSender
{
    public string Folder => Path.Combine(tenant.DataFolder, "mail-pickup");

    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var encodedSubject = "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject)) + "?=";
        var message = $"To: {to}\r\nSubject: {encodedSubject}\r\nDate: {time.GetUtcNow():R}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{Convert.ToBase64String(Encoding.UTF8.GetBytes(body), Base64FormattingOptions.InsertLineBreaks)}\r\n";
        await File.WriteAllTextAsync(Path.Combine(Folder, $"{time.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml"), message, cancellationToken);
    }
}

/// <summary>In-app notifications (the task inbox shows them) and, when asked, the same by e-mail.</summary>
public sealed class NotificationService(TenantDbContext db, IServiceProvider services, IEmailSender email, TimeProvider time)
{
    /// <summary>Adds the notification to the unit of work (saved with the workflow step) and mails it if asked.</summary>
    public async Task<int> NotifyAsync(string? userName, string? role, string? orgUnit, string title, string? body, string? link, string? instanceId, bool byEmail, CancellationToken cancellationToken)
    {
        db.Add(new Notification { UserName = userName, Role = role, OrgUnit = orgUnit, Title = title, Body = body, Link = link, InstanceId = instanceId, CreatedUtc = time.GetUtcNow().UtcDateTime });
        if (!byEmail)
        {
            return 0;
        }

        var sent = 0;
        foreach (var address in await AddressesAsync(userName, role, orgUnit))
        {
            await email.SendAsync(address, title, body ?? string.Empty, cancellationToken);
            sent++;
        }

        return sent;
    }

    /// <summary>The notifications a user sees: their own, and those to their roles for a unit they oversee (theirs or one below it, R-2.1).</summary>
    public IQueryable<Notification> For(string userName, IReadOnlyCollection<string> roles, OrgScopeResult scope)
    {
        var units = scope.UnitCodes.ToList();
        var all = scope.Unrestricted;
        return db.Set<Notification>().AsNoTracking().Where(n => n.UserName == userName || (n.Role != null && roles.Contains(n.Role) && (n.OrgUnit == null || all || units.Contains(n.OrgUnit))));
    }

    private async Task<IReadOnlyList<string>> AddressesAsync(string? userName, string? role, string? orgUnit)
    {
        var users = services.GetService<UserManager<CmsUser>>();
        if (users is null)
        {
            return [];
        }

        var people = new List<CmsUser>();
        if (userName is not null && await users.FindByNameAsync(userName) is { } user)
        {
            people.Add(user);
        }

        if (role is not null)
        {
            people.AddRange((await users.GetUsersInRoleAsync(role)).Where(u => orgUnit is null || u.OrgUnitCode == orgUnit));
        }

        return people.Where(p => !p.IsDisabled && !string.IsNullOrEmpty(p.Email)).Select(p => p.Email!).Distinct().ToList();
    }
}
