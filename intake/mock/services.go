// Package mock holds fakes of intake's services for tests: each is a struct
// of function fields, one per method, that a test sets to what it needs
// (benbjohnson/wtf's mock package is the model). A method whose field is
// nil panics, so a test sees at once that it reached something it did not
// expect. The HTTP layer's tests run on these, without a database.
//
// It imports the standard library and intake only.
package mock

import (
	"context"
	"time"

	"github.com/clinic/intake/intake"
)

var (
	_ intake.EnquiryService    = (*EnquiryService)(nil)
	_ intake.SignInService     = (*SignInService)(nil)
	_ intake.AccountService    = (*AccountService)(nil)
	_ intake.UserService       = (*UserService)(nil)
	_ intake.ReviewService     = (*ReviewService)(nil)
	_ intake.ExportService     = (*ExportService)(nil)
	_ intake.OperationsService = (*OperationsService)(nil)
	_ intake.JobAdmin          = (*JobAdmin)(nil)
	_ intake.DeliveryService   = (*DeliveryService)(nil)
	_ intake.EscalationService = (*EscalationService)(nil)
	_ intake.RetentionService  = (*RetentionService)(nil)
	_ intake.FormService       = (*FormService)(nil)
)

// FormService is a fake intake.FormService.
type FormService struct {
	LiveFormFn     func(ctx context.Context) (*intake.Form, error)
	FormFn         func(ctx context.Context, id int64) (*intake.Form, error)
	FormVersionsFn func(ctx context.Context) ([]intake.FormVersion, error)
	PublishFormFn  func(ctx context.Context, f *intake.Form, signedOffBy string, by intake.Actor) (intake.FormVersion, bool, error)
}

// LiveForm calls LiveFormFn.
func (s *FormService) LiveForm(ctx context.Context) (*intake.Form, error) { return s.LiveFormFn(ctx) }

// Form calls FormFn.
func (s *FormService) Form(ctx context.Context, id int64) (*intake.Form, error) {
	return s.FormFn(ctx, id)
}

// FormVersions calls FormVersionsFn.
func (s *FormService) FormVersions(ctx context.Context) ([]intake.FormVersion, error) {
	return s.FormVersionsFn(ctx)
}

// PublishForm calls PublishFormFn.
func (s *FormService) PublishForm(ctx context.Context, f *intake.Form, signedOffBy string, by intake.Actor) (intake.FormVersion, bool, error) {
	return s.PublishFormFn(ctx, f, signedOffBy, by)
}

// Forms is a FormService over a fixed list of published forms, the last
// one live, each with its ID set to its place in the list (1, 2, ...).
func Forms(forms ...*intake.Form) *FormService {
	byID := map[int64]*intake.Form{}
	var versions []intake.FormVersion
	for i, f := range forms {
		f.ID = int64(i + 1)
		byID[f.ID] = f
		versions = append([]intake.FormVersion{{ID: f.ID, URL: f.Questionnaire.URL, Version: f.Version(),
			SHA256: f.SHA256(), SignedOffBy: "Dr Mock", PublishedBy: "cli:mock", PublishedAt: time.Unix(0, 0).UTC()}}, versions...)
	}
	return &FormService{
		LiveFormFn: func(context.Context) (*intake.Form, error) { return forms[len(forms)-1], nil },
		FormFn: func(_ context.Context, id int64) (*intake.Form, error) {
			if f, ok := byID[id]; ok {
				return f, nil
			}
			return nil, intake.ErrNotFound
		},
		FormVersionsFn: func(context.Context) ([]intake.FormVersion, error) { return versions, nil },
	}
}

// EnquiryService is a fake intake.EnquiryService.
type EnquiryService struct {
	SubmitFn func(ctx context.Context, sub intake.Submission) (intake.Receipt, error)
}

// Submit calls SubmitFn.
func (s *EnquiryService) Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, error) {
	return s.SubmitFn(ctx, sub)
}

// SignInService is a fake intake.SignInService.
type SignInService struct {
	SignInFn             func(ctx context.Context, email, password string, from intake.Client) (intake.User, error)
	VerifySecondFactorFn func(ctx context.Context, userID int64, epoch int, code string, from intake.Client) (intake.User, error)
	SessionUserFn        func(ctx context.Context, id int64, epoch int) (intake.User, error)
	SignOutFn            func(ctx context.Context, by intake.Actor) error
}

// SignIn calls SignInFn.
func (s *SignInService) SignIn(ctx context.Context, email, password string, from intake.Client) (intake.User, error) {
	return s.SignInFn(ctx, email, password, from)
}

// VerifySecondFactor calls VerifySecondFactorFn.
func (s *SignInService) VerifySecondFactor(ctx context.Context, userID int64, epoch int, code string, from intake.Client) (intake.User, error) {
	return s.VerifySecondFactorFn(ctx, userID, epoch, code, from)
}

// SessionUser calls SessionUserFn.
func (s *SignInService) SessionUser(ctx context.Context, id int64, epoch int) (intake.User, error) {
	return s.SessionUserFn(ctx, id, epoch)
}

// SignOut calls SignOutFn.
func (s *SignInService) SignOut(ctx context.Context, by intake.Actor) error {
	return s.SignOutFn(ctx, by)
}

// AccountService is a fake intake.AccountService.
type AccountService struct {
	ChangePasswordFn func(ctx context.Context, id int64, current, next string, from intake.Client) (int, error)
	EnrolmentKeyFn   func(ctx context.Context, userID int64, session, issuer string) (intake.Enrolment, error)
	EnableTOTPFn     func(ctx context.Context, userID int64, session, code string, by intake.Actor) ([]string, int, error)
}

// ChangePassword calls ChangePasswordFn.
func (s *AccountService) ChangePassword(ctx context.Context, id int64, current, next string, from intake.Client) (int, error) {
	return s.ChangePasswordFn(ctx, id, current, next, from)
}

// EnrolmentKey calls EnrolmentKeyFn.
func (s *AccountService) EnrolmentKey(ctx context.Context, userID int64, session, issuer string) (intake.Enrolment, error) {
	return s.EnrolmentKeyFn(ctx, userID, session, issuer)
}

// EnableTOTP calls EnableTOTPFn.
func (s *AccountService) EnableTOTP(ctx context.Context, userID int64, session, code string, by intake.Actor) ([]string, int, error) {
	return s.EnableTOTPFn(ctx, userID, session, code, by)
}

// UserService is a fake intake.UserService.
type UserService struct {
	UsersFn          func(ctx context.Context) ([]intake.User, error)
	AddUserFn        func(ctx context.Context, email string, role intake.Role, password string, by intake.Actor) (intake.User, error)
	DisableUserFn    func(ctx context.Context, email string, by intake.Actor) error
	ResetPasswordFn  func(ctx context.Context, email, password string, by intake.Actor) error
	ResetTOTPFn      func(ctx context.Context, email string, by intake.Actor) error
	ReauthenticateFn func(ctx context.Context, u intake.User, proof string, from intake.Client) error
}

// Users calls UsersFn.
func (s *UserService) Users(ctx context.Context) ([]intake.User, error) { return s.UsersFn(ctx) }

// AddUser calls AddUserFn.
func (s *UserService) AddUser(ctx context.Context, email string, role intake.Role, password string, by intake.Actor) (intake.User, error) {
	return s.AddUserFn(ctx, email, role, password, by)
}

// DisableUser calls DisableUserFn.
func (s *UserService) DisableUser(ctx context.Context, email string, by intake.Actor) error {
	return s.DisableUserFn(ctx, email, by)
}

// ResetPassword calls ResetPasswordFn.
func (s *UserService) ResetPassword(ctx context.Context, email, password string, by intake.Actor) error {
	return s.ResetPasswordFn(ctx, email, password, by)
}

// ResetTOTP calls ResetTOTPFn.
func (s *UserService) ResetTOTP(ctx context.Context, email string, by intake.Actor) error {
	return s.ResetTOTPFn(ctx, email, by)
}

// Reauthenticate calls ReauthenticateFn.
func (s *UserService) Reauthenticate(ctx context.Context, u intake.User, proof string, from intake.Client) error {
	return s.ReauthenticateFn(ctx, u, proof, from)
}

// ReviewService is a fake intake.ReviewService.
type ReviewService struct {
	QueueFn       func(ctx context.Context, f intake.QueueFilter, by intake.Actor) (intake.QueuePage, error)
	DetailFn      func(ctx context.Context, reference string, by intake.Actor) (intake.Detail, error)
	SetStatusFn   func(ctx context.Context, reference string, status intake.Status, by intake.Actor) error
	AssignFn      func(ctx context.Context, reference string, userID int64, by intake.Actor) error
	AcknowledgeFn func(ctx context.Context, reference string, by intake.Actor) error
	AddNoteFn     func(ctx context.Context, reference, text string, by intake.Actor) error
	ReleaseFn     func(ctx context.Context, reference string, by intake.Actor) error
	EraseFn       func(ctx context.Context, reference string, by intake.Actor) error
	LogContactFn  func(ctx context.Context, reference string, a intake.ContactAttempt, by intake.Actor) (intake.ContactLogged, error)
}

// Queue calls QueueFn.
func (s *ReviewService) Queue(ctx context.Context, f intake.QueueFilter, by intake.Actor) (intake.QueuePage, error) {
	return s.QueueFn(ctx, f, by)
}

// Detail calls DetailFn.
func (s *ReviewService) Detail(ctx context.Context, reference string, by intake.Actor) (intake.Detail, error) {
	return s.DetailFn(ctx, reference, by)
}

// SetStatus calls SetStatusFn.
func (s *ReviewService) SetStatus(ctx context.Context, reference string, status intake.Status, by intake.Actor) error {
	return s.SetStatusFn(ctx, reference, status, by)
}

// Assign calls AssignFn.
func (s *ReviewService) Assign(ctx context.Context, reference string, userID int64, by intake.Actor) error {
	return s.AssignFn(ctx, reference, userID, by)
}

// Acknowledge calls AcknowledgeFn.
func (s *ReviewService) Acknowledge(ctx context.Context, reference string, by intake.Actor) error {
	return s.AcknowledgeFn(ctx, reference, by)
}

// AddNote calls AddNoteFn.
func (s *ReviewService) AddNote(ctx context.Context, reference, text string, by intake.Actor) error {
	return s.AddNoteFn(ctx, reference, text, by)
}

// Release calls ReleaseFn.
func (s *ReviewService) Release(ctx context.Context, reference string, by intake.Actor) error {
	return s.ReleaseFn(ctx, reference, by)
}

// Erase calls EraseFn.
func (s *ReviewService) Erase(ctx context.Context, reference string, by intake.Actor) error {
	return s.EraseFn(ctx, reference, by)
}

// LogContact calls LogContactFn.
func (s *ReviewService) LogContact(ctx context.Context, reference string, a intake.ContactAttempt, by intake.Actor) (intake.ContactLogged, error) {
	return s.LogContactFn(ctx, reference, a, by)
}

// OperationsService is a fake intake.OperationsService.
type OperationsService struct {
	DashboardFn         func(ctx context.Context, p intake.Period, by intake.Actor) (intake.Dashboard, error)
	WeeklySummaryFn     func(ctx context.Context, week intake.Period) (intake.WeeklySummary, error)
	SummaryRecipientsFn func(ctx context.Context) ([]string, error)
	LateCountsFn        func(ctx context.Context) (map[intake.Level]int, error)
}

// Dashboard calls DashboardFn.
func (s *OperationsService) Dashboard(ctx context.Context, p intake.Period, by intake.Actor) (intake.Dashboard, error) {
	return s.DashboardFn(ctx, p, by)
}

// WeeklySummary calls WeeklySummaryFn.
func (s *OperationsService) WeeklySummary(ctx context.Context, week intake.Period) (intake.WeeklySummary, error) {
	return s.WeeklySummaryFn(ctx, week)
}

// SummaryRecipients calls SummaryRecipientsFn.
func (s *OperationsService) SummaryRecipients(ctx context.Context) ([]string, error) {
	return s.SummaryRecipientsFn(ctx)
}

// LateCounts calls LateCountsFn.
func (s *OperationsService) LateCounts(ctx context.Context) (map[intake.Level]int, error) {
	return s.LateCountsFn(ctx)
}

// ExportService is a fake intake.ExportService.
type ExportService struct {
	ExportQueueFn   func(ctx context.Context, f intake.QueueFilter, by intake.Actor) ([]intake.Stored, error)
	ExportEnquiryFn func(ctx context.Context, reference string, by intake.Actor) (intake.Stored, error)
}

// ExportQueue calls ExportQueueFn.
func (s *ExportService) ExportQueue(ctx context.Context, f intake.QueueFilter, by intake.Actor) ([]intake.Stored, error) {
	return s.ExportQueueFn(ctx, f, by)
}

// ExportEnquiry calls ExportEnquiryFn.
func (s *ExportService) ExportEnquiry(ctx context.Context, reference string, by intake.Actor) (intake.Stored, error) {
	return s.ExportEnquiryFn(ctx, reference, by)
}

// JobAdmin is a fake intake.JobAdmin.
type JobAdmin struct {
	FailedJobsFn func(ctx context.Context, limit int) ([]intake.FailedJob, error)
	RetryJobFn   func(ctx context.Context, id int64, by intake.Actor) error
}

// FailedJobs calls FailedJobsFn.
func (s *JobAdmin) FailedJobs(ctx context.Context, limit int) ([]intake.FailedJob, error) {
	return s.FailedJobsFn(ctx, limit)
}

// RetryJob calls RetryJobFn.
func (s *JobAdmin) RetryJob(ctx context.Context, id int64, by intake.Actor) error {
	return s.RetryJobFn(ctx, id, by)
}

// DeliveryService is a fake intake.DeliveryService.
type DeliveryService struct {
	AlertFn                func(ctx context.Context, id int64) (intake.AlertInfo, error)
	ConfirmationFn         func(ctx context.Context, id int64) (intake.ConfirmationInfo, error)
	NoticeFn               func(ctx context.Context, id int64) (intake.Notice, error)
	QuarantineCountsFn     func(ctx context.Context, since time.Time) (intake.QuarantineCounts, error)
	MarkAlertSentFn        func(ctx context.Context, id int64, at time.Time) error
	MarkConfirmationSentFn func(ctx context.Context, id int64, at time.Time) error
	MarkWebhookSentFn      func(ctx context.Context, id int64, at time.Time) error
	MarkAlertFailedFn      func(ctx context.Context, id int64, reason string) error
}

// Alert calls AlertFn.
func (s *DeliveryService) Alert(ctx context.Context, id int64) (intake.AlertInfo, error) {
	return s.AlertFn(ctx, id)
}

// Confirmation calls ConfirmationFn.
func (s *DeliveryService) Confirmation(ctx context.Context, id int64) (intake.ConfirmationInfo, error) {
	return s.ConfirmationFn(ctx, id)
}

// Notice calls NoticeFn.
func (s *DeliveryService) Notice(ctx context.Context, id int64) (intake.Notice, error) {
	return s.NoticeFn(ctx, id)
}

// QuarantineCounts calls QuarantineCountsFn.
func (s *DeliveryService) QuarantineCounts(ctx context.Context, since time.Time) (intake.QuarantineCounts, error) {
	return s.QuarantineCountsFn(ctx, since)
}

// MarkAlertSent calls MarkAlertSentFn.
func (s *DeliveryService) MarkAlertSent(ctx context.Context, id int64, at time.Time) error {
	return s.MarkAlertSentFn(ctx, id, at)
}

// MarkConfirmationSent calls MarkConfirmationSentFn.
func (s *DeliveryService) MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error {
	return s.MarkConfirmationSentFn(ctx, id, at)
}

// MarkWebhookSent calls MarkWebhookSentFn.
func (s *DeliveryService) MarkWebhookSent(ctx context.Context, id int64, at time.Time) error {
	return s.MarkWebhookSentFn(ctx, id, at)
}

// MarkAlertFailed calls MarkAlertFailedFn.
func (s *DeliveryService) MarkAlertFailed(ctx context.Context, id int64, reason string) error {
	return s.MarkAlertFailedFn(ctx, id, reason)
}

// EscalationService is a fake intake.EscalationService.
type EscalationService struct {
	EscalateFn func(ctx context.Context, id int64, round int) (bool, error)
}

// Escalate calls EscalateFn.
func (s *EscalationService) Escalate(ctx context.Context, id int64, round int) (bool, error) {
	return s.EscalateFn(ctx, id, round)
}

// RetentionService is a fake intake.RetentionService.
type RetentionService struct {
	PurgeFn              func(ctx context.Context, cutoff time.Time, actor string) (int, error)
	PurgeExpiredTokensFn func(ctx context.Context) error
}

// Purge calls PurgeFn.
func (s *RetentionService) Purge(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	return s.PurgeFn(ctx, cutoff, actor)
}

// PurgeExpiredTokens calls PurgeExpiredTokensFn.
func (s *RetentionService) PurgeExpiredTokens(ctx context.Context) error {
	return s.PurgeExpiredTokensFn(ctx)
}
