using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Mailbox;

namespace Closely.UnitTests.Mailbox;

public sealed class RequestClassifierTests
{
    [Theory]
    [InlineData("Delete my data", "Please delete all my personal data from your database.", DataSubjectRight.Erasure)]
    [InlineData("Right to be forgotten", "I am exercising my right to be forgotten.", DataSubjectRight.Erasure)]
    [InlineData("Request", "Please remove me from your records, thank you.", DataSubjectRight.Erasure)]
    [InlineData("Subject access request", "Please send me a copy of my personal data.", DataSubjectRight.Access)]
    [InlineData("Question", "What personal data do you hold about me?", DataSubjectRight.Access)]
    [InlineData("Wrong job title", "Please correct my job title, it is outdated.", DataSubjectRight.Rectification)]
    [InlineData("Restriction", "I ask you to restrict the processing of my data while I contest its accuracy.", DataSubjectRight.Restriction)]
    [InlineData("Data portability", "Please send my data in a machine-readable format.", DataSubjectRight.Portability)]
    [InlineData("Unsubscribe", "Stop sending me marketing emails.", DataSubjectRight.Objection)]
    [InlineData("Objection", "I object to the processing of my data for direct marketing.", DataSubjectRight.Objection)]
    [InlineData("Profiling", "Do you make automated decisions about me?", DataSubjectRight.AutomatedDecisionInformation)]
    public void An_English_request_is_classified_with_confidence(string subject, string text, DataSubjectRight right)
    {
        var classification = RequestClassifier.Classify(subject, text);

        Assert.Equal(right, classification.Right);
        Assert.False(classification.NeedsTriage);
        Assert.InRange(classification.Confidence, RequestClassifier.TriageBelow, 1.0);
        Assert.NotEqual(PublicLanguages.German, classification.Language);
    }

    [Theory]
    [InlineData("Löschung meiner Daten", "Bitte löschen Sie alle meine Daten gemäß Art. 17 DSGVO.", DataSubjectRight.Erasure)]
    [InlineData("Anfrage", "Ich mache mein Recht auf Vergessenwerden geltend.", DataSubjectRight.Erasure)]
    [InlineData("Auskunftsersuchen", "Bitte teilen Sie mir mit, welche Daten Sie über mich speichern.", DataSubjectRight.Access)]
    [InlineData("Anfrage nach Art. 15 DSGVO", "Sehr geehrte Damen und Herren, ich bitte um eine Kopie meiner Daten.", DataSubjectRight.Access)]
    [InlineData("Berichtigung", "Bitte berichtigen Sie meine Telefonnummer.", DataSubjectRight.Rectification)]
    [InlineData("Einschränkung", "Bitte schränken Sie die Verarbeitung ein; ich verlange die Einschränkung der Verarbeitung.", DataSubjectRight.Restriction)]
    [InlineData("Datenübertragbarkeit", "Ich möchte meine Daten in einem maschinenlesbaren Format erhalten.", DataSubjectRight.Portability)]
    [InlineData("Widerspruch", "Ich widerspreche der Nutzung meiner Daten für Werbung.", DataSubjectRight.Objection)]
    [InlineData("Keine Werbung", "Bitte senden Sie mir keine Werbung mehr.", DataSubjectRight.Objection)]
    [InlineData("Frage", "Treffen Sie eine automatisierte Entscheidung über mich?", DataSubjectRight.AutomatedDecisionInformation)]
    public void A_German_request_is_classified_with_confidence(string subject, string text, DataSubjectRight right)
    {
        var classification = RequestClassifier.Classify(subject, text);

        Assert.Equal(right, classification.Right);
        Assert.False(classification.NeedsTriage);
        Assert.InRange(classification.Confidence, RequestClassifier.TriageBelow, 1.0);
        Assert.Equal(PublicLanguages.German, classification.Language);
    }

    [Theory]
    [InlineData("Question", "Hello, I would like to know what you have about me and where it comes from. Thank you.", "en")]
    [InlineData("Frage", "Guten Tag, ich möchte wissen, was Sie über mich gespeichert haben und woher es stammt. Vielen Dank.", "de")]
    [InlineData("Fwd: Anfrage", "Sehr geehrte Damen und Herren, bitte kümmern Sie sich um die Nachricht unten. Mit freundlichen Grüßen", "de")]
    public void The_language_of_a_mail_is_told_even_when_its_right_is_not(string subject, string text, string language)
    {
        var classification = RequestClassifier.Classify(subject, text);

        Assert.True(classification.NeedsTriage);
        Assert.Equal(language, classification.Language?.Code);
    }

    [Theory]
    [InlineData("DSGVO", "Art. 15")]
    [InlineData("Datenschutz", "")]
    [InlineData("Request", "Data.")]
    public void A_mail_too_short_to_tell_its_language_gets_none_and_is_answered_in_english(string subject, string text)
    {
        Assert.Null(RequestClassifier.Classify(subject, text).Language);
    }

    [Fact]
    public void A_mail_that_only_forwards_is_told_by_the_language_of_what_it_forwards()
    {
        var classification = RequestClassifier.Classify("Fwd:", "", "Bitte löschen Sie alle meine Daten, die Sie über mich gespeichert haben.");

        Assert.Equal(PublicLanguages.German, classification.Language);
    }

    [Fact]
    public void German_without_umlauts_reads_the_same_as_with_them()
    {
        var folded = RequestClassifier.Classify("Loeschung", "Bitte loeschen Sie meine Daten.");
        var umlauts = RequestClassifier.Classify("Löschung", "Bitte löschen Sie meine Daten.");

        Assert.Equal(umlauts, folded);
        Assert.Equal(DataSubjectRight.Erasure, folded.Right);
    }

    [Fact]
    public void A_mail_that_names_no_right_needs_triage_with_no_confidence()
    {
        var classification = RequestClassifier.Classify("Hello", "I have a question about your company, can someone call me?");

        Assert.True(classification.NeedsTriage);
        Assert.Equal(0, classification.Confidence);
        Assert.Equal(DataSubjectRight.Access, classification.Right);
    }

    [Fact]
    public void Two_rights_asked_for_equally_need_triage_with_one_of_them_as_the_guess()
    {
        var classification = RequestClassifier.Classify("My data", "Please delete my data and send me a copy of my data.");

        Assert.True(classification.NeedsTriage);
        Assert.Equal(0.5, classification.Confidence);
        Assert.Contains(classification.Right, new[] { DataSubjectRight.Erasure, DataSubjectRight.Access });
    }

    [Fact]
    public void A_bare_keyword_is_a_guess_that_needs_triage()
    {
        var classification = RequestClassifier.Classify("Hi", "Can you delete it?");

        Assert.Equal(DataSubjectRight.Erasure, classification.Right);
        Assert.True(classification.NeedsTriage);
        Assert.InRange(classification.Confidence, 0.01, RequestClassifier.TriageBelow - 0.01);
    }

    [Fact]
    public void A_clear_request_with_a_weak_second_reading_is_classified_with_less_confidence()
    {
        var clear = RequestClassifier.Classify("Erasure", "Please delete my data.");
        var mixed = RequestClassifier.Classify("Erasure", "Please delete my data, the phone number you have is wrong anyway.");

        Assert.Equal(DataSubjectRight.Erasure, mixed.Right);
        Assert.False(mixed.NeedsTriage);
        Assert.True(mixed.Confidence < clear.Confidence);
    }

    [Fact]
    public void The_forwarded_text_counts_only_when_the_senders_own_words_hold_no_clear_phrase()
    {
        var own = RequestClassifier.Classify("FYI", "Please unsubscribe me.", "We will delete your account unless you log in.");
        var forwardedOnly = RequestClassifier.Classify("FYI", "See below.", "I want you to delete my data.");
        var keywordOnly = RequestClassifier.Classify("Newsletter", "See below.", "Stop sending me these emails.");

        Assert.Equal(DataSubjectRight.Objection, own.Right);
        Assert.Equal(DataSubjectRight.Erasure, forwardedOnly.Right);
        Assert.False(forwardedOnly.NeedsTriage);
        Assert.Equal(DataSubjectRight.Objection, keywordOnly.Right);
        Assert.False(keywordOnly.NeedsTriage);
    }

    [Fact]
    public void A_job_application_is_not_an_objection_to_advertising()
    {
        var classification = RequestClassifier.Classify("Bewerbung", "Anbei meine Bewerbung als Entwickler.");

        Assert.True(classification.NeedsTriage);
        Assert.Equal(0, classification.Confidence);
    }
}
