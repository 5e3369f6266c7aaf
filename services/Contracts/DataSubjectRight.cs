namespace Closely.Contracts;

/// <summary>The GDPR right a data subject request invokes.</summary>
public enum DataSubjectRight
{
    /// <summary>Art 15.</summary>
    Access,

    /// <summary>Art 16.</summary>
    Rectification,

    /// <summary>Art 17.</summary>
    Erasure,

    /// <summary>Art 18.</summary>
    Restriction,

    /// <summary>Art 20.</summary>
    Portability,

    /// <summary>Art 21.</summary>
    Objection,

    /// <summary>Art 22: Closely makes no automated decisions; the answer is information.</summary>
    AutomatedDecisionInformation,
}

/// <summary>How a request reached Closely.</summary>
public enum IntakeChannel
{
    WebForm,
    Email,
    Api,
    ClientApi,
    OptOut,
}
