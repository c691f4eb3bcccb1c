using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tempo.Dashboard;

/// <summary>Lets a request through only with the access token: <c>?token=</c> (which also sets a cookie, so the page's own requests carry it), the cookie, or <c>Authorization: Bearer</c>.</summary>
internal sealed class TokenGate(string? token)
{
    private const string CookieName = "tempo-dashboard-token";
    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_token is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var header = request.Headers.Authorization.ToString();
        if (Matches(request.Query["token"].ToString()))
        {
            context.Response.Cookies.Append(CookieName, token!, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
        }
        else if (!Matches(request.Cookies[CookieName]) && !(header.StartsWith("Bearer ", StringComparison.Ordinal) && Matches(header["Bearer ".Length..])))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("This dashboard needs its access token: open the URL tempo dashboard printed (it ends in ?token=…), or send Authorization: Bearer TOKEN.\n").ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    // Constant time, so the token cannot be guessed a character at a time from response times.
    private bool Matches(string? candidate) =>
        !string.IsNullOrEmpty(candidate) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);
}
