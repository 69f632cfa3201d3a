namespace Ledger;

/// <summary>A payment plan: the total spread over monthly instalments.</summary>
public sealed record Instalment(DateOnly Due, Money Amount);

/// <summary>Builds monthly payment plans.</summary>
public static class Instalments
{
    public static IReadOnlyList<Instalment> Monthly(Money total, int months, DateOnly firstDue)
    {
        var amounts = Allocation.Split(total, months);
        return amounts.Select((amount, i) => new Instalment(firstDue.AddMonths(i), amount)).ToList();
    }
}
