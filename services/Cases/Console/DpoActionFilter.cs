using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Closely.Cases.DpoConsole;

/// <summary>Marks a page handler that acts on a case: only a user in role <c>dpo</c> may run it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DpoActionAttribute : Attribute;

/// <summary>Answers 403 to a handler marked <see cref="DpoActionAttribute"/> run by anyone but a DPO, before it runs.</summary>
public sealed class DpoActionFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var isAction = context.HandlerMethod?.MethodInfo.GetCustomAttribute<DpoActionAttribute>() is not null;
        if (isAction && !context.HttpContext.User.IsInRole(ConsoleRoles.Dpo))
        {
            context.Result = new ForbidResult();
            return;
        }

        await next();
    }
}
