package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// The errors of butterflymx_access_code: what went wrong, on which panel,
// and what to do about it.

// reportWriteError explains a refused write. Seam's error type, message and
// request id are in err's text; the PIN never is (the client scrubs it).
func reportWriteError(diags *diag.Diagnostics, op string, device *seam.Device, deviceID string, err error) {
	label := intercomLabel(device, deviceID)
	switch {
	case seam.IsDuplicateAccessCode(err):
		diags.AddAttributeError(path.Root("code"), "PIN already in use on the panel",
			fmt.Sprintf("Seam refused to %s the access code on panel %s because another code on the panel already has this PIN: %s\n\n"+
				"Choose a different code, or remove code to let Seam generate one. Nothing was changed.", op, label, err))
	case seam.IsRateLimited(err):
		diags.AddError("Seam rate limit",
			fmt.Sprintf("Seam kept answering 429 Too Many Requests to %s an access code on panel %s, after the provider's retries: %s\n\n"+
				"Seam limits writes per panel (10 code creations and 10 updates per minute, 20 deletions per minute). "+
				"Apply again in a minute, or apply fewer codes on one panel at once (-parallelism).", op, label, err))
	case seam.IsCutOffWhilePacing(err) && !seam.MayHaveTakenEffect(err):
		diags.AddError(fmt.Sprintf("Timed out before the %s was sent", op),
			fmt.Sprintf("The request to %s the access code on panel %s waited for its turn under the provider's pacing of "+
				"Seam's per-device write limits (10 code creations and 10 updates per minute, 20 deletions per minute), and "+
				"the operation's timeout ran out first: %s\n\nNothing was sent for it. Raise the timeout, or apply fewer codes "+
				"on one panel at once (-parallelism).", op, label, err))
	case seam.IsInvalidInput(err):
		diags.AddError("Seam refused the access code",
			fmt.Sprintf("Seam refused to %s the access code on panel %s as invalid input: %s\n\nFix the argument Seam names above.", op, label, err))
	case seam.MayHaveTakenEffect(err):
		// A create with a lost reply goes to reportLostCreate instead.
		diags.AddError(fmt.Sprintf("Could not %s access code", op),
			fmt.Sprintf("The request to %s the access code on panel %s failed without a clear answer from Seam: %s\n\n"+
				"Apply again; the next plan shows what Seam has.", op, label, err))
	default:
		diags.AddError(fmt.Sprintf("Could not %s access code", op),
			fmt.Sprintf("Seam refused to %s the access code on panel %s: %s", op, label, err))
	}
}

// reportLostCreate explains a create whose reply was lost and whose code
// findCreated could not single out: candidates are the codes that matched
// (none or several) and listErr what kept it from looking.
func reportLostCreate(diags *diag.Diagnostics, device *seam.Device, in seam.AccessCodeCreate, err error,
	candidates []seam.AccessCode, listErr error) {
	label := intercomLabel(device, in.DeviceID)
	detail := fmt.Sprintf("The request to create the access code on panel %s failed without a clear answer from Seam: %s\n\n", label, err)
	find := fmt.Sprintf("List the panel's codes with the butterflymx_access_codes data source (device_id = %q)", in.DeviceID)
	if in.Name != nil {
		find += fmt.Sprintf(" and look for the name %q", *in.Name)
	}
	importIt := "import the code (terraform import <address> <access_code_id>, or an import block) so that Terraform " +
		"manages it, or delete it in Seam; then apply again."
	switch {
	case errors.Is(listErr, errUnrecognisable):
		detail += "Seam may have created the code anyway, and a generated code without a name cannot be recognised among " +
			"the panel's codes. " + find + ": if the code is there, " + importIt + " Giving codes a name lets the provider " +
			"recover from this by itself."
	case listErr != nil:
		detail += fmt.Sprintf("Seam may have created the code anyway, and the provider could not check: listing the "+
			"panel's codes failed (%s). The code may exist on the panel without being in Terraform's state. %s: if it is "+
			"there, %s", listErr, find, importIt)
	case len(candidates) > 1:
		ids := make([]string, len(candidates))
		for i, ac := range candidates {
			ids[i] = ac.AccessCodeID
		}
		detail += fmt.Sprintf("Seam may have created the code anyway, and %d codes on the panel match it, created since "+
			"the request: %s. The provider cannot tell which one (if any) this request made, so it kept none. Import the "+
			"one to manage (terraform import <address> <access_code_id>) and delete the others that nothing else uses; "+
			"then apply again.", len(candidates), strings.Join(ids, ", "))
	default:
		detail += "The provider looked for the code on the panel in case Seam created it anyway and found none, so " +
			"nothing is left behind. Apply again."
	}
	diags.AddError("Could not create access code", detail)
}

// accessCodeRef names a code in messages: in the middle of a sentence
// ("access code ac_1") and at its start ("Access code ac_1").
func accessCodeRef(id string) (ref, sentenceStart string) {
	if id == "" {
		return "access code", "Access code"
	}
	return "access code " + id, "Access code " + id
}

// reportSettleError explains why waiting for the panel failed, with what to
// do about it.
func (r *accessCodeResource) reportSettleError(ctx context.Context, diags *diag.Diagnostics, op string, device *seam.Device,
	last *seam.AccessCode, err error, timeout time.Duration) {
	id, deviceID := "", ""
	if last != nil {
		id, deviceID = last.AccessCodeID, last.DeviceID
	}
	if device != nil {
		deviceID = device.DeviceID
	}
	label := intercomLabel(device, deviceID)
	kept := keptNote(op)
	ref, sentenceStart := accessCodeRef(id)

	var refused *codeRefusedError
	var timedOut *codeWaitTimeoutError
	var gone *codeGoneError
	var failed *seam.ActionAttemptFailedError
	var restricted *restrictedCodeError
	switch {
	case errors.As(err, &restricted):
		reportRestricted(diags, label, id, restricted.problem)
	case errors.As(err, &refused):
		reportRefused(diags, op, label, ref, kept, refused)
	case errors.As(err, &timedOut) && interrupted(ctx):
		// Not a timeout: the user stopped the run.
		diags.AddError(fmt.Sprintf("Interrupted while waiting for the panel (%s)", op),
			fmt.Sprintf("The apply was interrupted while %s on panel %s was still %q. Seam goes on with the change; the "+
				"next refresh shows where it is.\n\n%s", ref, label, lastStatus(timedOut), kept))
	case errors.As(err, &timedOut):
		diags.AddError(fmt.Sprintf("Timed out waiting for the panel (%s)", op),
			r.describeTimeout(ctx, op, label, id, device, deviceID, timedOut, timeout)+"\n\n"+kept)
	case errors.As(err, &gone):
		diags.AddError("Access code disappeared",
			fmt.Sprintf("%s on panel %s was deleted while the provider waited for it (%s): its ends_at may have passed, or "+
				"it was deleted outside Terraform. It is removed from state; apply again to create it.", sentenceStart, label, gone.err))
	case errors.As(err, &failed):
		typ, msg := "unknown_error", ""
		if failed.Attempt.Error != nil {
			typ, msg = failed.Attempt.Error.Type, failed.Attempt.Error.Message
		}
		diags.AddError(fmt.Sprintf("Seam could not %s the access code", op),
			fmt.Sprintf("Seam's action attempt %s (%s) for %s on panel %s failed: %s: %s.%s\n\n%s",
				failed.Attempt.ActionAttemptID, failed.Attempt.ActionType, ref, label, typ, msg,
				r.intercomNote(ctx, device, deviceID, last), kept))
	default:
		diags.AddError(fmt.Sprintf("Could not %s access code", op),
			fmt.Sprintf("Waiting for %s on panel %s: %s\n\n%s", ref, label, err, kept))
	}
}

// keptNote says what becomes of the code in state after a failed op.
func keptNote(op string) string {
	switch op {
	case "update":
		return "State holds the code as Seam has it now; the next plan shows what differs from the configuration."
	case "delete":
		return "The code stays in state; destroy again to retry."
	}
	return "The code is kept in state, marked tainted: the next apply replaces it, and destroy removes it."
}

// reportRefused reports a code the panel refused, with a hint for the
// error Seam gives.
func reportRefused(diags *diag.Diagnostics, op, label, ref, kept string, refused *codeRefusedError) {
	hint := ""
	switch refused.problem.Code() {
	case "duplicate_code_on_device":
		hint = duplicateHint(refused.problem)
	case "no_space_for_access_code_on_device":
		hint = "The panel holds no more codes: remove codes it no longer needs (the butterflymx_access_codes data source with " +
			"include_unmanaged = true lists them all). "
	case "failed_to_set_on_device":
		hint = "Check the panel in the ButterflyMX dashboard. "
	}
	if op == "update" {
		// Seam does not retry a refused code: ModifyPlan replaces it.
		kept = "State holds the code as Seam has it now, with this error: it is not on the panel. The next plan " +
			"replaces it (deletes the code and creates it again) to program it anew."
	}
	diags.AddError("Panel refused the access code",
		fmt.Sprintf("Panel %s could not take %s. Seam reports %s: %s\n\n%s%s", label, ref,
			refused.problem.Code(), refused.problem.Message, hint, kept))
}

// warnExternalModification says that the code was changed outside Seam,
// naming Seam's code for it: conflicting_external_modification (Seam sets
// the code again) or external_modification_in_effect (the change stays).
func warnExternalModification(ac *seam.AccessCode, diags *diag.Diagnostics) {
	for _, p := range slices.Concat(ac.Errors, ac.Warnings) {
		fields := ""
		if len(p.ModifiedFields) > 0 {
			fields = " (" + strings.Join(p.ModifiedFields, ", ") + ")"
		}
		switch p.Code() {
		case "conflicting_external_modification":
			diags.AddWarning("Access code changed outside Seam",
				fmt.Sprintf("Seam reports conflicting_external_modification on access code %s on panel %s%s: it was changed on "+
					"the panel or in the ButterflyMX app, and Seam will set it on the panel again as declared. %s State holds "+
					"what Seam reports; the next apply puts back what the configuration says.", ac.AccessCodeID, ac.DeviceID,
					fields, p.Message))
		case "external_modification_in_effect":
			diags.AddWarning("Access code changed outside Seam",
				fmt.Sprintf("Seam reports external_modification_in_effect on access code %s on panel %s%s: it was changed on "+
					"the panel or in the ButterflyMX app, and the change stays because allow_external_modification is true. "+
					"State holds the new values; the next plan shows what differs from the configuration.", ac.AccessCodeID,
					ac.DeviceID, fields))
		}
	}
}

// warnPending is a refresh that finds Seam still pushing a change to the
// panel (after a write that timed out, or a change made outside Terraform):
// state holds Seam's new values, which the panel may not have yet.
func warnPending(ac *seam.AccessCode, diags *diag.Diagnostics) {
	if !slices.ContainsFunc(ac.PendingMutations, func(m seam.PendingMutation) bool { return m.MutationCode != deferringCreation }) {
		return
	}
	diags.AddWarning("Access code change not yet on the panel",
		fmt.Sprintf("Access code %s on panel %s: state holds what Seam reports, but the panel may not have it yet.%s "+
			"Plan again later to see it settle.", ac.AccessCodeID, ac.DeviceID, pendingNote(ac)))
}

// reportRestricted explains an unmanaged code Seam cannot manage or delete
// (cannot_be_managed, cannot_delete_unmanaged_access_code): Seam accepts
// the request and nothing happens, so it fails at once, with what to do.
func reportRestricted(diags *diag.Diagnostics, label, id string, p seam.Problem) {
	summary, detail := restrictedAdvice(label, id, p)
	diags.AddError(summary, detail)
}

func restrictedAdvice(label, id string, p seam.Problem) (summary, detail string) {
	ref, _ := accessCodeRef(id)
	if p.Code() == cannotDeleteUnmanaged {
		return "Seam cannot delete this access code",
			fmt.Sprintf("Seam reports %s on the unmanaged %s on panel %s: %s. Seam accepts a deletion and never carries it "+
				"out, so destroying it here would leave the PIN working.\n\nDelete the code in the ButterflyMX app, then "+
				"apply or destroy again (the code leaves state once Seam no longer has it). To stop managing it without "+
				"deleting it, remove it from state with a removed block (lifecycle { destroy = false }) or terraform state rm.",
				p.Code(), ref, label, p.Message)
	}
	return "Seam cannot manage this access code",
		fmt.Sprintf("Seam reports %s on the unmanaged %s on panel %s: %s. Seam accepts a conversion to a managed code and "+
			"never carries it out, so Terraform cannot adopt it.\n\nRemove the import block (or terraform state rm the "+
			"address) and change the code in the ButterflyMX app; to manage a PIN with Terraform, create a new "+
			"butterflymx_access_code and delete this one in the ButterflyMX app.", p.Code(), ref, label, p.Message)
}

// refuseRestricted fails the plan of a code Seam cannot take over
// (adopting) or delete (destroying), as its refreshed errors in state show.
func refuseRestricted(ctx context.Context, state accessCodeResourceModel, destroying bool, diags *diag.Diagnostics) bool {
	want := cannotBeManaged
	if destroying {
		want = cannotDeleteUnmanaged
	}
	if !state.unmanaged() || state.Errors.IsNull() || state.Errors.IsUnknown() {
		return false
	}
	var problems []problemModel
	if d := state.Errors.ElementsAs(ctx, &problems, false); d.HasError() {
		return false
	}
	for _, p := range problems {
		if p.Code.ValueString() == want {
			summary, detail := restrictedAdvice(fmt.Sprintf("%q", state.DeviceID.ValueString()), state.ID.ValueString(),
				seam.Problem{ErrorCode: want, Message: p.Message.ValueString()})
			diags.AddError(summary, detail)
			return true
		}
	}
	return false
}

// duplicateHint names the code that already holds the PIN, as Seam's
// duplicate_code_on_device reports it, and what to do.
func duplicateHint(p seam.Problem) string {
	other := "Another code on the panel already uses this PIN"
	adopt := ""
	switch {
	case p.ManagedAccessCodeID != "":
		other = fmt.Sprintf("Access code %s, managed by Seam, already uses this PIN on the panel", p.ManagedAccessCodeID)
		adopt = fmt.Sprintf(" If that code is the one you want, import it (terraform import <address> %s, or an import "+
			"block) and remove this resource;", p.ManagedAccessCodeID)
	case p.UnmanagedAccessCodeID != "":
		other = fmt.Sprintf("Access code %s, made outside Seam (unmanaged), already uses this PIN on the panel", p.UnmanagedAccessCodeID)
		adopt = fmt.Sprintf(" To adopt it, import it (terraform import <address> %s, or an import block) and remove this "+
			"resource, or delete it in the ButterflyMX app;", p.UnmanagedAccessCodeID)
	}
	return other + "." + adopt + " otherwise choose a different code, or remove code to let Seam generate one. "
}

// describeTimeout says where the code was stuck and why, reading the panel
// afresh to tell an offline panel from a slow one.
func (r *accessCodeResource) describeTimeout(ctx context.Context, op, label, id string, device *seam.Device, deviceID string,
	e *codeWaitTimeoutError, timeout time.Duration) string {
	var b strings.Builder
	ref, sentenceStart := accessCodeRef(id)
	after := timeoutSpent(op, e.elapsed(timeout), timeout)
	switch {
	case e.attempt != nil:
		fmt.Fprintf(&b, "Seam's action attempt %s (%s) for %s on panel %s was still %s after %s.",
			e.attempt.ActionAttemptID, e.attempt.ActionType, ref, label, cmp.Or(e.attempt.Status, "pending"), after)
	case e.last != nil && op == "delete":
		fmt.Fprintf(&b, "%s on panel %s was still on the panel (%q, %s) after %s: the panel has not confirmed the removal, "+
			"so the PIN may still open the door.%s", sentenceStart, label, e.last.Status, managedWord(e.last), after, pendingNote(e.last))
	case e.last != nil && e.last.Status == seam.AccessCodeStatusSet && len(e.last.PendingMutations) > 0:
		fmt.Fprintf(&b, "%s on panel %s reads %q, but after %s Seam had not finished pushing the change to the panel.%s "+
			"State holds what Seam reports, with status and errors as Seam has them.", sentenceStart, label, e.last.Status,
			after, pendingNote(e.last))
	case e.last != nil && codeRetrying(e.last) != nil:
		fmt.Fprintf(&b, "%s on panel %s was still %q after %s: Seam failed to set it on the panel and keeps trying "+
			"(failed_to_set_on_device). Check the panel in the ButterflyMX dashboard.", sentenceStart, label, e.last.Status, after)
	case e.last != nil:
		fmt.Fprintf(&b, "%s on panel %s was still %q after %s: the panel has not confirmed the code.%s", sentenceStart, label,
			e.last.Status, after, pendingNote(e.last))
	default:
		fmt.Fprintf(&b, "%s on panel %s did not settle within %s.", sentenceStart, label, after)
	}

	b.WriteString(r.intercomNote(ctx, device, deviceID, e.last))
	fmt.Fprintf(&b, "\n\nTo wait longer, raise the timeout, for example timeouts = { %s = \"30m\" }.", op)
	if op != "delete" {
		// Destroy always waits for the removal, whatever wait_for_set says.
		b.WriteString(" To return as soon as Seam has accepted the change and let Seam finish when the panel is back, " +
			"set wait_for_set = false.")
	}
	return b.String()
}

// timeoutSpent says how long an operation ran before its timeout ended it:
// the time really spent, and the timeout when the two differ (a retry that
// would have passed the deadline ends the wait early).
func timeoutSpent(op string, spent, timeout time.Duration) string {
	if timeout-spent < time.Second {
		return spent.String()
	}
	return fmt.Sprintf("%s (timeouts.%s is %s)", spent, op, timeout)
}

// intercomNote reads the panel afresh (the operation's own context may have
// expired) and says whether it is offline, plus what Seam reports on the
// code: the difference between a slow panel and one that cannot be reached.
func (r *accessCodeResource) intercomNote(ctx context.Context, device *seam.Device, deviceID string, last *seam.AccessCode) string {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if deviceID != "" {
		if fresh, err := r.data.client.GetDevice(rctx, deviceID); err == nil {
			device = fresh
		}
	}
	var b strings.Builder
	offline := device != nil && !device.Properties.Online
	if last != nil && firstProblem(last.Errors, deviceErrorCodes) != nil {
		offline = true
	}
	if offline {
		b.WriteString(" The panel is offline, so Seam cannot program it until it reconnects.")
	}
	if last != nil && len(last.Errors) > 0 {
		fmt.Fprintf(&b, " Seam reports: %s.", describeProblems(last.Errors))
	}
	if last != nil && len(last.Warnings) > 0 {
		fmt.Fprintf(&b, " Warnings: %s.", describeProblems(last.Warnings))
	}
	return b.String()
}

// lastStatus is the status a wait last saw, for messages.
func lastStatus(e *codeWaitTimeoutError) string {
	switch {
	case e.last != nil:
		return e.last.Status
	case e.attempt != nil:
		return cmp.Or(e.attempt.Status, "pending")
	}
	return "unknown"
}

func managedWord(ac *seam.AccessCode) string {
	if ac.IsManaged {
		return "managed by Seam"
	}
	return "unmanaged"
}
