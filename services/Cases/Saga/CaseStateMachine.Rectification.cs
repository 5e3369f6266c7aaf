using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

// Rectification (Art 16, ADR 29): a verified rectification goes to the DPO (CaseRouting), who approves, edits or declines
// each correction. Approved ones are located and written in every store holding their field (Locating, then Executing per
// store, as for an erasure); when all are declined the case completes with the supplementary statements, and the
// requester is told either way.
public sealed partial class CaseStateMachine
{
    public Event<DecideCorrections> CorrectionsDecided { get; private set; } = null!;

    private void Rectification()
    {
        ForExistingCase(() => CorrectionsDecided, m => m.CaseId);

        During(AwaitingDpoAction,
            When(CorrectionsDecided, c => c.Saga.CanDecideCorrections(c.Message.Verdicts, Edits(c.Message)))
                .Then(c => c.Saga.DecideCorrections(c.Message.Actor, c.Message.Verdicts, Edits(c.Message), Now))
                .IfElse(c => c.Saga.ApprovedCorrections.Count > 0,
                    approved => approved
                        .Then(c => c.Saga.StartStep(Now))
                        .ThenAsync(c => c.SendLocateSubjectData())
                        .TransitionTo(Locating)
                        .PlanDeadlines(this),
                    declined => declined
                        .CloseAs(this, Completed, c => RectificationClosing.AllDeclined(c.Message.Actor, c.Saga))));
    }

    /// <summary>The requester's corrections as Intake sealed them (ADR 29); none for a request without.</summary>
    private IReadOnlyList<FieldCorrection> RequestedCorrections(DsrReceived message) => message.SealedCorrections is null
        ? []
        : SealedCorrections.Open(_protector, message.CaseId, SealedCorrections.Requested, message.SealedCorrections);

    private IReadOnlyList<FieldCorrection> Edits(DecideCorrections message) => message.SealedEdits is null
        ? []
        : SealedCorrections.Open(_protector, message.CaseId, SealedCorrections.Edited, message.SealedEdits);
}
