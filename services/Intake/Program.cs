using Closely.BuildingBlocks.Persistence;
using Closely.Intake;
using Closely.Intake.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIntakeServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRequestApi();

await app.RunOrMigrateAsync<IntakeDbContext>(args);
