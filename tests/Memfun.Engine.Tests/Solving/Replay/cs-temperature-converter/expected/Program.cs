using Weather;

Console.WriteLine("weather");
Console.WriteLine($"100 C = {TemperatureConverter.CelsiusToFahrenheit(100)} F");
