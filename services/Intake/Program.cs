using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Persistence;
using Closely.Intake;
using Closely.Intake.Clients;
using Closely.Intake.Pages;
using Closely.Intake.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeServices();
builder.AddPrivacyCentre();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UsePublicLanguages();
app.MapRequestApi();
app.MapPrivacyCentre();
app.MapClientApi();

await app.RunOrMigrateAsync<IntakeDbContext>(args);
