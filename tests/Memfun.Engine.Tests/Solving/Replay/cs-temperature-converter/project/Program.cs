Console.WriteLine("weather");
