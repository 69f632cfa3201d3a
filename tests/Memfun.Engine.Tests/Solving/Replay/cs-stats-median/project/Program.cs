using StatsApp;

var values = new List<double> { 3, 1, 4, 1, 5, 9, 2, 6 };
Console.WriteLine($"mean {Stats.Mean(values)}");
