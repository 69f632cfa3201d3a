namespace Weather;

/// <summary>Converts between Celsius and Fahrenheit.</summary>
public static class TemperatureConverter
{
    public static double CelsiusToFahrenheit(double celsius) => (celsius * 9 / 5) + 32;

    public static double FahrenheitToCelsius(double fahrenheit) => (fahrenheit - 32) * 5 / 9;
}
