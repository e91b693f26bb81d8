using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Verification.Cms.Data;
using Verification.Cms.Organisation;
using Verification.Cms.Security;
using Verification.Workflows.Models;
using Verification.Workflows.Services;

namespace Verification.Workflows.Controllers;

/// <summary>The task inbox: my tasks, my unit's tasks, overdue tasks; claim, reassign, complete; my notifications.</summary>
[Route("tasks")]
[RequirePermission("HandleTasks")]
public sealed class TasksController(TaskInbox inbox, NotificationService notifications, IOrgScope orgScope, TenantDbContext db, IStringLocalizer T, TimeProvider time) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? view, string? q, bool done = false, CancellationToken cancellationToken = default)
    {
        var shown = view is "unit" or "overdue" ? view : "mine";
        var tasks = await inbox.ListAsync(User, new TaskFilter(shown, q, done ? Models.TaskStatus.Done : Models.TaskStatus.Open), cancellationToken);
        var (roles, _) = await inbox.RolesAsync(User);
        var unread = await notifications.For(User.Identity!.Name!, roles, await orgScope.ForUserAsync(User, cancellationToken))
            .Where(n => n.ReadUtc == null).OrderByDescending(n => n.CreatedUtc).Take(50).ToListAsync(cancellationToken);
        return View(new InboxViewModel(shown, q, done, tasks, unread, Verification.Cms.Localization.CmsTime.Today(time)));
    }

    [HttpGet("{id}")]
    public async Task<IActionResult> Show(string id, CancellationToken cancellationToken)
    {
        var task = await inbox.FindAsync(id, cancellationToken);
        if (task is null || !await inbox.CanSeeAsync(task, User, cancellationToken))
        {
            return NotFound();
        }

        return View(new TaskViewModel(task, await inbox.CanActAsync(task, User, cancellationToken)));
    }

    [HttpPost("{id}/claim")]
    public async Task<IActionResult> Claim(string id, CancellationToken cancellationToken)
    {
        TempData[await inbox.ClaimAsync(id, User, cancellationToken) ? "Message" : "Error"] = T["Claimed."].Value;
        return Redirect(Url.Content("~/tasks/" + id));
    }

    [HttpPost("{id}/reassign")]
    public async Task<IActionResult> Reassign(string id, string? toUser, string? toRole, CancellationToken cancellationToken)
    {
        var ok = await inbox.ReassignAsync(id, string.IsNullOrWhiteSpace(toUser) ? null : toUser.Trim(), string.IsNullOrWhiteSpace(toRole) ? null : toRole.Trim(), User, cancellationToken);
        TempData[ok ? "Message" : "Error"] = ok ? T["Reassigned."].Value : T["The task could not be reassigned."].Value;
        return Redirect(Url.Content(ok ? "~/tasks" : "~/tasks/" + id));
    }

    [HttpPost("{id}/complete")]
    public async Task<IActionResult> Complete(string id, string outcome, string? comment, CancellationToken cancellationToken)
    {
        var error = await inbox.CompleteAsync(id, outcome ?? string.Empty, comment, User, cancellationToken);
        TempData[error is null ? "Message" : "Error"] = error ?? T["Done."].Value;
        return Redirect(Url.Content(error is null ? "~/tasks" : "~/tasks/" + id));
    }

    [HttpPost("notifications/{id:long}/read")]
    public async Task<IActionResult> Read(long id, CancellationToken cancellationToken)
    {
        var (roles, _) = await inbox.RolesAsync(User);
        var mine = await notifications.For(User.Identity!.Name!, roles, await orgScope.ForUserAsync(User, cancellationToken)).AnyAsync(n => n.Id == id, cancellationToken);
        if (mine)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.Set<Notification>().Where(n => n.Id == id).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadUtc, now), cancellationToken);
        }

        return Redirect(Url.Content("~/tasks"));
    }
}

public sealed record InboxViewModel(string View, string? Query, bool Done, IReadOnlyList<WorkflowTask> Tasks, IReadOnlyList<Notification> Notifications, DateOnly Today);

public sealed record TaskViewModel(WorkflowTask Task, bool CanAct);
