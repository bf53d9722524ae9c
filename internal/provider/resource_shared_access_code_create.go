package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openintercom/terraform-provider-butterflymx/internal/seam"
)

// Creating butterflymx_shared_access_code codes. Every create goes through
// create_multiple (a chosen PIN as its code), and every failed one is
// followed by a look on each panel: Seam may have made some of the codes
// before failing, or all of them before the reply was lost. Whatever is
// found goes into state, so that no PIN is left that Terraform does not know.

// createdCode is a code just written, with the action attempt to follow.
type createdCode struct {
	code    seam.AccessCode
	attempt *seam.ActionAttempt
}

func wrap(codes []seam.AccessCode) []createdCode {
	out := make([]createdCode, len(codes))
	for i, c := range codes {
		out[i] = createdCode{code: c}
	}
	return out
}

// multipleCreate is the create_multiple request for the plan on deviceIDs.
func (m sharedAccessCodeModel) multipleCreate(deviceIDs []string) seam.AccessCodesCreate {
	starts, ends := m.schedule()
	return seam.AccessCodesCreate{
		DeviceIDs:                      deviceIDs,
		Name:                           stringPointer(m.Name),
		Code:                           stringPointer(m.Code),
		StartsAt:                       starts,
		EndsAt:                         ends,
		BehaviorWhenCodeCannotBeShared: stringPointer(m.BehaviorWhenCodeCannotBeShared),
	}
}

// createCodes creates the code on deviceIDs with one create_multiple. It
// returns every code that exists afterwards, also when it fails.
func (r *sharedAccessCodeResource) createCodes(ctx context.Context, in seam.AccessCodesCreate, diags *diag.Diagnostics) ([]createdCode, error) {
	return r.createCodesTry(ctx, in, 0, diags)
}

// createCodesTry is createCodes after tries lost creates. When the lost
// one verifiably made the code on only some panels (or none), it sends the
// create again for the others, with the PIN the found codes have.
func (r *sharedAccessCodeResource) createCodesTry(ctx context.Context, in seam.AccessCodesCreate, tries int,
	diags *diag.Diagnostics) ([]createdCode, error) {
	started := time.Now()
	codes, err := r.data.client.CreateAccessCodes(ctx, in)
	if err == nil {
		for _, ac := range codes {
			r.data.claims.claim(ac.AccessCodeID)
		}
		return wrap(codes), nil
	}
	found, listErr := r.findCreated(ctx, in, started)
	missing := slices.DeleteFunc(slices.Clone(in.DeviceIDs), func(id string) bool {
		return slices.ContainsFunc(found, func(ac seam.AccessCode) bool { return ac.DeviceID == id })
	})
	if listErr != nil || !seam.MayHaveTakenEffect(err) || ctx.Err() != nil {
		reportSharedCreate(diags, in, err, found, listErr)
		return wrap(found), err
	}
	if len(missing) == 0 {
		tflog.Warn(ctx, "the reply to access_codes/create_multiple was lost, but every code was created; keeping them",
			map[string]any{"error": err.Error()})
		return wrap(found), nil
	}
	if tries >= lostCreateRetries {
		reportSharedCreate(diags, in, err, found, listErr)
		return wrap(found), err
	}
	tflog.Warn(ctx, "the reply to access_codes/create_multiple was lost and some panels have no code; creating it there again",
		map[string]any{"error": err.Error(), "panels": missing})
	again := in
	again.DeviceIDs = missing
	if len(found) > 0 {
		again.Code = found[0].Code
	}
	more, err := r.createCodesTry(ctx, again, tries+1, diags)
	return append(wrap(found), more...), err
}

// findCreated looks on every panel for the code a failed create_multiple
// may have made there: a managed code with the request's name, schedule and
// (when chosen) PIN, created since the request started, that no other
// create of this provider claimed. A panel holds a chosen PIN once, so for
// those the match is exact. It looks with a fresh context, since an
// interrupt or the timeout may be what ended the create.
func (r *sharedAccessCodeResource) findCreated(ctx context.Context, in seam.AccessCodesCreate, started time.Time) ([]seam.AccessCode, error) {
	if in.Name == nil && in.Code == nil {
		return nil, errUnrecognisable
	}
	lctx, cancel := r.data.lookupContext(ctx)
	defer cancel()
	var found []seam.AccessCode
	var firstErr error
	for _, deviceID := range in.DeviceIDs {
		want := seam.AccessCodeCreate{DeviceID: deviceID, Name: in.Name, Code: in.Code, StartsAt: in.StartsAt, EndsAt: in.EndsAt}
		for ac, err := range r.data.client.ListAccessCodes(lctx, seam.AccessCodeFilter{DeviceID: deviceID, Limit: accessCodesPageSize}) {
			if err != nil {
				firstErr = cmpErr(firstErr, fmt.Errorf("listing the codes of panel %s: %w", deviceID, err))
				break
			}
			if ac.Status != seam.AccessCodeStatusRemoving && createdBy(ac, want, started) && r.data.claims.claim(ac.AccessCodeID) {
				found = append(found, ac)
				break
			}
		}
	}
	return found, firstErr
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}

// reportSharedCreate explains a failed create: what Seam said, which codes
// exist anyway (they are in state), and what is left to check.
func reportSharedCreate(diags *diag.Diagnostics, in seam.AccessCodesCreate, err error, found []seam.AccessCode, listErr error) {
	detail := fmt.Sprintf("Creating the code on panels %s failed: %s\n\n", strings.Join(in.DeviceIDs, ", "), err)
	if len(found) > 0 {
		ids := make([]string, len(found))
		for i, ac := range found {
			ids[i] = fmt.Sprintf("%s on %s", ac.AccessCodeID, ac.DeviceID)
		}
		detail += fmt.Sprintf("Seam had created the code on %d of the %d panels before it failed (%s). They are recorded in "+
			"state, marked tainted: the next apply deletes them and creates the shared code again, and destroy removes them. ",
			len(found), len(in.DeviceIDs), strings.Join(ids, ", "))
	}
	switch {
	case listErr != nil:
		detail += fmt.Sprintf("Seam may have created codes on other panels, and the provider could not check (%s). List "+
			"the panels' codes with the butterflymx_access_codes data source and delete any with this name that no "+
			"resource manages. ", listErr)
	case len(found) == 0:
		detail += "The provider looked on every panel in case Seam created codes anyway and found none, so nothing is " +
			"left behind. "
	}
	switch {
	case seam.IsDuplicateAccessCode(err):
		diags.AddAttributeError(path.Root("code"), "PIN already in use on a panel", detail+
			"Another code on one of the panels already has this PIN: choose a different code, or remove code to let Seam "+
			"generate one.")
	case seam.IsRateLimited(err):
		diags.AddError("Seam rate limit", detail+"Seam limits code creations per panel (10 a minute): apply again in a minute.")
	default:
		diags.AddError("Could not create shared access code", detail+"Fix what Seam names above, if anything, and apply again.")
	}
}

// addCodes creates the code on panels added to an existing shared code.
// Where the codes share a common_code_key, the new ones are created with it
// (/access_codes/create), so that a Seam that keeps a caller's key links them
// as before; either way each is tracked by its id. Without a key they are
// made with create_multiple.
func (r *sharedAccessCodeResource) addCodes(ctx context.Context, plan sharedAccessCodeModel, deviceIDs []string, key string,
	diags *diag.Diagnostics) ([]createdCode, error) {
	in := plan.multipleCreate(deviceIDs)
	if key == "" {
		return r.createCodes(ctx, in, diags)
	}
	var out []createdCode
	for _, id := range deviceIDs {
		one := seam.AccessCodeCreate{DeviceID: id, Name: in.Name, Code: in.Code, StartsAt: in.StartsAt, EndsAt: in.EndsAt, CommonCodeKey: &key}
		started := time.Now()
		ac, aa, err := r.data.client.CreateAccessCode(ctx, one)
		if err == nil {
			r.data.claims.claim(ac.AccessCodeID)
			out = append(out, createdCode{code: *ac, attempt: aa})
			continue
		}
		in.DeviceIDs = []string{id}
		found, listErr := r.findCreated(ctx, in, started)
		out = append(out, wrap(found)...)
		if listErr == nil && len(found) == 1 && seam.MayHaveTakenEffect(err) {
			continue
		}
		reportSharedCreate(diags, in, err, found, listErr)
		return out, err
	}
	return out, nil
}

// newSharedID is the id of a shared code whose codes Seam links by no
// common_code_key (a chosen PIN): the provider's own, never sent to Seam.
func newSharedID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "terraform_" + hex.EncodeToString(b[:])
}
