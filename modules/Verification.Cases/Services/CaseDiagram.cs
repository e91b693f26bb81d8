using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Verification.Cases.Models;

namespace Verification.Cases.Services;

/// <summary>
/// The lifecycle drawn as an SVG from the state machine itself (Stateless' description of
/// <see cref="CaseLifecycle"/>), with the case's current state highlighted; "withdrawn" (possible from
/// every open state) is a caption rather than a dozen arrows.
/// </summary>
public static class CaseDiagram
{
    private const int Width = 118;
    private const int Height = 34;

    private static readonly Dictionary<CaseState, (int X, int Y)> Positions = new()
    {
        [CaseState.Received] = (10, 10), [CaseState.IntakeReview] = (150, 10), [CaseState.Accepted] = (290, 10), [CaseState.Confirmed] = (430, 10),
        [CaseState.Exchanging] = (570, 10), [CaseState.Comparing] = (710, 10),
        [CaseState.Reviewed] = (710, 100), [CaseState.Approved] = (570, 100), [CaseState.ReportIssued] = (430, 100), [CaseState.Archived] = (290, 100),
        [CaseState.ReturnedForSupplement] = (150, 100), [CaseState.Terminated] = (10, 100), [CaseState.Suspended] = (570, 190),
    };

    public static string Svg(CaseState current, Func<string, string> label)
    {
        var info = CaseLifecycle.For(new VerificationCase { EntrustmentId = "-", ServiceItem = "aa", HeadName = "-", HeadIdNumber = "-" }, "x").GetInfo();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"lifecycle\" viewBox=\"0 0 840 240\" role=\"img\" aria-label=\"{HtmlEncoder.Default.Encode(label("Case lifecycle"))}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#627d98\"/></marker></defs>");
        foreach (var state in info.States)
        {
            var from = (CaseState)state.UnderlyingState;
            foreach (var transition in state.FixedTransitions)
            {
                var trigger = (CaseTrigger)transition.Trigger.UnderlyingTrigger;
                if (trigger == CaseTrigger.Withdraw)
                {
                    continue;
                }

                Edge(svg, from, (CaseState)transition.DestinationState.UnderlyingState, trigger, label);
            }
        }

        foreach (var (state, (x, y)) in Positions)
        {
            var fill = state == current ? "#0b5cad" : "#f0f4f8";
            var text = state == current ? "#fff" : "#102a43";
            svg.Append(CultureInfo.InvariantCulture, $"<g><rect x=\"{x}\" y=\"{y}\" width=\"{Width}\" height=\"{Height}\" rx=\"8\" fill=\"{fill}\" stroke=\"#829ab1\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + Width / 2}\" y=\"{y + 22}\" text-anchor=\"middle\" font-size=\"13\" fill=\"{text}\">{HtmlEncoder.Default.Encode(label("state." + state))}</text></g>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"232\" font-size=\"12\" fill=\"#627d98\">{HtmlEncoder.Default.Encode(label("Until the report is issued, a withdrawn entrustment terminates the case from any state."))}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static void Edge(StringBuilder svg, CaseState from, CaseState to, CaseTrigger trigger, Func<string, string> label)
    {
        var (ax, ay) = Center(from);
        var (bx, by) = Center(to);
        // Leave and enter at the boxes' edges.
        var (sx, sy) = Border(ax, ay, bx, by);
        var (ex, ey) = Border(bx, by, ax, ay);
        var faint = trigger is CaseTrigger.Suspend or CaseTrigger.Resume;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{sx:0}\" y1=\"{sy:0}\" x2=\"{ex:0}\" y2=\"{ey:0}\" stroke=\"#829ab1\" stroke-width=\"1.3\" {(faint ? "stroke-dasharray=\"4 3\" " : string.Empty)}marker-end=\"url(#arrow)\"><title>{HtmlEncoder.Default.Encode(label("trigger." + trigger))}</title></line>");
    }

    private static (double X, double Y) Center(CaseState state) => (Positions[state].X + Width / 2.0, Positions[state].Y + Height / 2.0);

    private static (double X, double Y) Border(double x, double y, double towardX, double towardY)
    {
        var dx = towardX - x;
        var dy = towardY - y;
        var scale = Math.Min(dx == 0 ? double.MaxValue : Width / 2.0 / Math.Abs(dx), dy == 0 ? double.MaxValue : Height / 2.0 / Math.Abs(dy));
        return (x + dx * scale, y + dy * scale);
    }
}
